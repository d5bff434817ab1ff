"""The possible-duplicate rule."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.possible_duplicate import PossibleDuplicate
from store.repository import DuplicateHit

Build = Callable[..., RuleContext]


def test_flags_earlier_drafts_with_their_reasons(context: Build) -> None:
    hits = (DuplicateHit(12, "message_id"), DuplicateHit(15, "similar_text"))
    flag = PossibleDuplicate().check(context(duplicates=hits))
    assert flag is not None
    assert flag.code is FlagCode.POSSIBLE_DUPLICATE
    assert flag.params == {
        "matches": [
            {"draft_id": 12, "reason": "message_id"},
            {"draft_id": 15, "reason": "similar_text"},
        ]
    }


def test_passes_without_duplicates(context: Build) -> None:
    assert PossibleDuplicate().check(context()) is None
