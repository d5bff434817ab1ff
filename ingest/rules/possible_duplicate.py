"""The duplicate rule: an earlier draft looks like the same submission."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class PossibleDuplicate:
    """Senders resend and forward; the editor merges or rejects rather than publishing twice."""

    name = "possible_duplicate"
    description = "An earlier draft has the same Message-ID, the same raw bytes or similar text."

    def check(self, context: RuleContext) -> Flag | None:
        if not context.duplicates:
            return None
        matches = [{"draft_id": hit.draft_id, "reason": hit.reason} for hit in context.duplicates]
        return Flag(FlagCode.POSSIBLE_DUPLICATE, {"matches": matches})
