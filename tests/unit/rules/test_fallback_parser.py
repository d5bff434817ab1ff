"""The fallback-parser rule."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.fallback_parser import FallbackParser

Build = Callable[..., RuleContext]


def test_flags_the_fallback_parser(context: Build) -> None:
    flag = FallbackParser().check(context(message={"parser": "stdlib"}))
    assert flag is not None
    assert flag.code is FlagCode.FALLBACK_PARSER
    assert flag.params == {"parser": "stdlib"}


def test_passes_mail_parser(context: Build) -> None:
    assert FallbackParser().check(context()) is None
