"""The spam-verdict rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.spam_verdict import SpamVerdict

Build = Callable[..., RuleContext]


@pytest.mark.parametrize("value", ["YES", "yes", " Yes "])
def test_flags_spam_flag_yes(value: str, context: Build) -> None:
    headers = (("X-Spam-Flag", value), ("X-Spam-Status", "Yes, score=9.1"))
    flag = SpamVerdict().check(context(message={"headers": headers}))
    assert flag is not None
    assert flag.code is FlagCode.SPAM_VERDICT
    assert flag.params == {"status": "Yes, score=9.1"}


def test_passes_spam_flag_no(context: Build) -> None:
    assert SpamVerdict().check(context(message={"headers": (("X-Spam-Flag", "NO"),)})) is None


def test_passes_without_spam_headers(context: Build) -> None:
    assert SpamVerdict().check(context()) is None
