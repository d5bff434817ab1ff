"""The missing-answer rules: one of the four practice questions has no answer."""

from __future__ import annotations

from core.vocabulary import MISSING_SECTION_CODES
from ingest.rules.base import Flag, RuleContext


class MissingSection:
    """Flags a draft whose section `key` is empty after parsing.

    The four sections differ only in key and code (the question is worded by the catalogue), so
    one parametrised class serves them all; the four instances below are what the registry lists.

    With no headings at all the whole text is read as `what_and_why`, so the other three are
    empty by construction; the no-headings rule already tells the editor, and three more flags
    would only be noise. `always` keeps a rule (the first question's) active in that case.
    """

    def __init__(self, key: str, *, always: bool = False) -> None:
        self.key = key
        self.code = MISSING_SECTION_CODES[key]
        self.always = always
        self.name: str = self.code.value
        self.description: str = f"The answer of section {key} is empty."

    def check(self, context: RuleContext) -> Flag | None:
        sections = context.understanding.sections
        if sections.get(self.key).strip():
            return None
        if not self.always and sections.headings_found == 0:
            return None
        return Flag(self.code)


MISSING_SECTION_RULES = (
    MissingSection("what_and_why", always=True),
    MissingSection("achieved"),
    MissingSection("next_steps"),
    MissingSection("more_info"),
)
