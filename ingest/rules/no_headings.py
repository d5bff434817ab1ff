"""The no-headings rule: the text answers none of the four questions under a heading."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class NoHeadings:
    """Free prose was put whole into the first section; an editor must split it by hand."""

    name = "no_headings"
    description = "No section heading was recognised; the whole text went to 'what and why'."

    def check(self, context: RuleContext) -> Flag | None:
        if context.understanding.sections.headings_found > 0:
            return None
        return Flag(FlagCode.NO_HEADINGS)
