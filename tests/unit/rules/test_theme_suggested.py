"""The suggested-theme rule."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.theme_suggested import ThemeSuggested

Build = Callable[..., RuleContext]


def test_flags_a_suggested_theme_with_its_reason(context: Build) -> None:
    understanding = {
        "theme": "open_data",
        "theme_suggested": True,
        "theme_reason": "keywords: datan, rajapinnan",
    }
    flag = ThemeSuggested().check(context(understanding=understanding))
    assert flag is not None
    assert flag.code is FlagCode.THEME_SUGGESTED
    assert flag.params == {"theme": "open_data", "reason": "keywords: datan, rajapinnan"}


def test_passes_an_explicit_theme(context: Build) -> None:
    understanding = {"theme": "open_data", "theme_suggested": False}
    assert ThemeSuggested().check(context(understanding=understanding)) is None


def test_passes_when_there_is_no_theme(context: Build) -> None:
    assert ThemeSuggested().check(context(understanding={"theme": None})) is None
