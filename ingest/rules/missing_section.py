"""The missing-answer rules: one of the four practice questions has no answer."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class MissingSection:
    """Flags a draft whose section `key` is empty after parsing.

    The four sections differ only in key, code and wording, so one parametrised class serves
    them all; the four instances below are what the registry lists.

    With no headings at all the whole text is read as `what_and_why`, so the other three are
    empty by construction; the no-headings rule already tells the editor, and three more flags
    would only be noise. `always` keeps a rule (the first question's) active in that case.
    """

    def __init__(self, key: str, code: FlagCode, question: str, *, always: bool = False) -> None:
        self.key = key
        self.code = code
        self.question = question
        self.always = always
        self.name: str = code.value
        self.description: str = f"The answer to {question!r} (section {key}) is empty."

    def check(self, context: RuleContext) -> Flag | None:
        sections = context.understanding.sections
        if sections.get(self.key).strip():
            return None
        if not self.always and sections.headings_found == 0:
            return None
        return Flag(self.code, f"Vastaus kysymykseen '{self.question}' puuttuu.")


MISSING_WHAT_AND_WHY = MissingSection(
    "what_and_why", FlagCode.MISSING_WHAT_AND_WHY, "Mitä tehtiin ja miksi?", always=True
)
MISSING_ACHIEVED = MissingSection("achieved", FlagCode.MISSING_ACHIEVED, "Mitä saatiin aikaiseksi?")
MISSING_NEXT_STEPS = MissingSection("next_steps", FlagCode.MISSING_NEXT_STEPS, "Mitä jatkossa?")
MISSING_MORE_INFO = MissingSection("more_info", FlagCode.MISSING_MORE_INFO, "Lisätietoa")

MISSING_SECTION_RULES = (
    MISSING_WHAT_AND_WHY,
    MISSING_ACHIEVED,
    MISSING_NEXT_STEPS,
    MISSING_MORE_INFO,
)
