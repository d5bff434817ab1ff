"""The parse-defects rule: the message's MIME structure was damaged."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext

_MAX_LISTED = 5


class ParseDefects:
    """Broken MIME can lose or garble text; the editor compares the draft with the original."""

    name = "parse_defects"
    description = "The MIME parser reported defects (missing boundaries, bad encodings, ...)."

    def check(self, context: RuleContext) -> Flag | None:
        defects = context.message.defects
        if not defects:
            return None
        return Flag(
            FlagCode.PARSE_DEFECTS,
            {"defects": list(defects[:_MAX_LISTED]), "count": len(defects)},
        )
