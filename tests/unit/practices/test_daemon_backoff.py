"""Retry delays of a failing mailbox double from 15 s and stop at the configured cap."""

from __future__ import annotations

from practices.daemon import backoff_seconds


def test_first_retry_is_quick() -> None:
    assert backoff_seconds(1, cap=900) == 15


def test_delay_doubles_per_failure() -> None:
    assert [backoff_seconds(n, cap=900) for n in (1, 2, 3, 4)] == [15, 30, 60, 120]


def test_delay_never_exceeds_the_cap() -> None:
    assert backoff_seconds(50, cap=900) == 900
    assert backoff_seconds(10**6, cap=600) == 600
