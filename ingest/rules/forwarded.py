"""The forwarded rule: someone forwarded the submission, so sender and author differ."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class Forwarded:
    """The contact fields came from the forwarded header; the editor confirms who the author is."""

    name = "forwarded"
    description = "The message was forwarded; contact details come from the forwarded original."

    def check(self, context: RuleContext) -> Flag | None:
        forwarded_by = context.understanding.forwarded_by
        if not forwarded_by:
            return None
        return Flag(FlagCode.FORWARDED, {"forwarded_by": forwarded_by})
