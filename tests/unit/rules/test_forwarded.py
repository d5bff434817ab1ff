"""The forwarded rule."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.forwarded import Forwarded

Build = Callable[..., RuleContext]


def test_flags_a_forwarded_message(context: Build) -> None:
    flag = Forwarded().check(context(understanding={"forwarded_by": "kirjaamo@vm.fi"}))
    assert flag is not None
    assert flag.code is FlagCode.FORWARDED
    assert flag.params == {"forwarded_by": "kirjaamo@vm.fi"}


def test_passes_a_direct_message(context: Build) -> None:
    assert Forwarded().check(context()) is None
