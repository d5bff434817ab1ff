"""The missing-theme rule."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.theme_missing import ThemeMissing

Build = Callable[..., RuleContext]


def test_flags_a_missing_theme(context: Build) -> None:
    flag = ThemeMissing().check(context(understanding={"theme": None}))
    assert flag is not None
    assert flag.code is FlagCode.THEME_MISSING


def test_passes_a_theme(context: Build) -> None:
    assert ThemeMissing().check(context(understanding={"theme": "participation"})) is None
