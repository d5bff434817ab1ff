"""The text-too-short and text-too-long rules."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.text_length import MAX_CHARS, MIN_CHARS, TextTooLong, TextTooShort

Build = Callable[..., RuleContext]

EMPTY = {"what_and_why": "", "achieved": "", "next_steps": "", "more_info": ""}


def test_flags_short_text(context: Build) -> None:
    flag = TextTooShort().check(context(sections={**EMPTY, "what_and_why": "Katso liite."}))
    assert flag is not None
    assert flag.code is FlagCode.TEXT_TOO_SHORT
    assert flag.params == {"length": 12}


def test_unmatched_text_does_not_count(context: Build) -> None:
    sections = {**EMPTY, "what_and_why": "Lyhyt.", "unmatched": "x" * (2 * MIN_CHARS)}
    assert TextTooShort().check(context(sections=sections)) is not None


def test_passes_text_of_the_minimum_length(context: Build) -> None:
    sections = {**EMPTY, "what_and_why": "a" * (MIN_CHARS - 10), "more_info": "b" * 10}
    assert TextTooShort().check(context(sections=sections)) is None


def test_flags_long_text(context: Build) -> None:
    flag = TextTooLong().check(context(sections={"achieved": "x" * (MAX_CHARS + 1)}))
    assert flag is not None
    assert flag.code is FlagCode.TEXT_TOO_LONG


def test_passes_normal_length(context: Build) -> None:
    assert TextTooLong().check(context()) is None
