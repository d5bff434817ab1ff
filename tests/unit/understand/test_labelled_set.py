"""Regression guard over the labelled set of realistic submissions (tests/fixtures/labelled).

A ratchet, not a snapshot: outcomes must all be right, and section accuracy may not fall below a
floor set a little under what was measured. Raise `SECTION_FLOOR` when understanding improves;
`.venv/bin/python scripts/accuracy --verbose` shows the figures and every mismatch.
"""

from __future__ import annotations

from collections import Counter

import pytest

from tests.fixtures.labelled.cases import CASES, SECTION_KEYS
from tests.fixtures.labelled.scoring import Scores, score

# Measured 2026-03 on 51 cases (44 drafts): sections 174/176 = 98.9 %, outcome 51/51.
SECTION_FLOOR = 0.969


@pytest.fixture(scope="module")
def scores() -> Scores:
    return score(CASES)


def _listing(scores: Scores, fields: tuple[str, ...]) -> str:
    return "\n".join(
        f"{m.case} [{m.field}]: expected {m.expected[:80]!r}, got {m.got[:80]!r}"
        for m in scores.mismatches
        if m.field in fields
    )


def test_labelled_set_covers_languages_and_outcomes() -> None:
    languages = Counter(case.expected["language"] for case in CASES)
    outcomes = Counter(case.expected["outcome"] for case in CASES)
    assert len(CASES) >= 30
    assert len({case.name for case in CASES}) == len(CASES)
    assert set(languages) == {"fi", "sv", "en"}
    assert set(outcomes) == {"draft", "ignored"}


def test_every_outcome_is_right(scores: Scores) -> None:
    assert scores.share(("outcome",)) == 1.0, _listing(scores, ("outcome",))


def test_section_accuracy_stays_above_floor(scores: Scores) -> None:
    share = scores.share(SECTION_KEYS)
    assert share >= SECTION_FLOOR, (
        f"section accuracy {share:.1%} fell below {SECTION_FLOOR:.0%}:\n"
        + _listing(scores, SECTION_KEYS)
    )
