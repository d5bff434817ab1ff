"""The missing-answer rules: one of the four practice questions has no answer."""

from __future__ import annotations

from ingest.rules.base import Flag, FlagCode, RuleContext


class MissingSection:
    """Flags a draft whose section `key` is empty after parsing.

    The four sections differ only in key, code and wording, so one parametrised class serves
    them all; the four instances below are what the registry lists.
    """

    def __init__(self, key: str, code: FlagCode, question: str) -> None:
        self.key = key
        self.code = code
        self.question = question
        self.name: str = code.value
        self.description: str = f"The answer to {question!r} (section {key}) is empty."

    def check(self, context: RuleContext) -> Flag | None:
        if context.understanding.sections.get(self.key).strip():
            return None
        return Flag(self.code, f"Vastaus kysymykseen '{self.question}' puuttuu.")


MISSING_WHAT_AND_WHY = MissingSection(
    "what_and_why", FlagCode.MISSING_WHAT_AND_WHY, "Mitä tehtiin ja miksi?"
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
