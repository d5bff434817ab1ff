"""The spam rule: an upstream filter marked the message as spam (X-Spam-Flag: YES)."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class SpamVerdict:
    """Spam is kept as a flagged draft, never dropped: filters misjudge real submissions too."""

    name = "spam_verdict"
    description = "A spam filter set X-Spam-Flag: YES on the message."

    def check(self, context: RuleContext) -> Flag | None:
        flags = context.message.header("X-Spam-Flag")
        if not any(value.strip().lower() == "yes" for value in flags):
            return None
        status = context.message.first_header("X-Spam-Status")
        return Flag(FlagCode.SPAM_VERDICT, {"status": status[:200]})
