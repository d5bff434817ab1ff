"""The text-length rules: the four answers together are suspiciously short or long."""

from __future__ import annotations

from core.vocabulary import SECTION_KEYS, FlagCode
from ingest.rules.base import Flag, RuleContext

MIN_CHARS = 200
MAX_CHARS = 20_000


def answer_length(context: RuleContext) -> int:
    """Characters in the four answers (greetings and signatures in `unmatched` do not count)."""
    sections = context.understanding.sections
    return sum(len(sections.get(key).strip()) for key in SECTION_KEYS)


class TextTooShort:
    """A few lines rarely make a publishable practice; the answers may be in an unread part."""

    name = "text_too_short"
    description = f"The four answers together have fewer than {MIN_CHARS} characters."

    def check(self, context: RuleContext) -> Flag | None:
        length = answer_length(context)
        if length >= MIN_CHARS:
            return None
        return Flag(FlagCode.TEXT_TOO_SHORT, {"length": length})


class TextTooLong:
    """Very long text usually means quoted history or a whole report landed in the answers."""

    name = "text_too_long"
    description = f"The four answers together have more than {MAX_CHARS} characters."

    def check(self, context: RuleContext) -> Flag | None:
        length = answer_length(context)
        if length <= MAX_CHARS:
            return None
        return Flag(FlagCode.TEXT_TOO_LONG, {"length": length})
