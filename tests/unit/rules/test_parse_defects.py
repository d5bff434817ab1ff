"""The parse-defects rule."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.parse_defects import ParseDefects

Build = Callable[..., RuleContext]


def test_flags_defects_and_lists_them(context: Build) -> None:
    defects = ("StartBoundaryNotFoundDefect", "InvalidBase64PaddingDefect")
    flag = ParseDefects().check(context(message={"defects": defects}))
    assert flag is not None
    assert flag.code is FlagCode.PARSE_DEFECTS
    assert flag.params == {
        "defects": ["StartBoundaryNotFoundDefect", "InvalidBase64PaddingDefect"],
        "count": 2,
    }


def test_bounds_a_long_defect_list(context: Build) -> None:
    flag = ParseDefects().check(context(message={"defects": tuple(f"D{i}" for i in range(9))}))
    assert flag is not None
    assert len(flag.params["defects"]) == 5
    assert flag.params["count"] == 9


def test_passes_a_clean_message(context: Build) -> None:
    assert ParseDefects().check(context()) is None
