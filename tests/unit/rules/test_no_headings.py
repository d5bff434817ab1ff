"""The no-headings rule."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.no_headings import NoHeadings

Build = Callable[..., RuleContext]


def test_flags_text_without_headings(context: Build) -> None:
    flag = NoHeadings().check(context(sections={"headings_found": 0}))
    assert flag is not None
    assert flag.code is FlagCode.NO_HEADINGS


def test_passes_text_with_a_heading(context: Build) -> None:
    assert NoHeadings().check(context(sections={"headings_found": 1})) is None
