"""Retry delays of a failing mailbox double up to the configured cap, a refused login too."""

from __future__ import annotations

from practices.cycle import Backoff, backoff_seconds


def test_first_retry_is_quick() -> None:
    assert backoff_seconds(1, cap=900) == 15


def test_delay_doubles_per_failure() -> None:
    assert [backoff_seconds(n, cap=900) for n in (1, 2, 3, 4)] == [15, 30, 60, 120]


def test_delay_never_exceeds_the_cap() -> None:
    assert backoff_seconds(50, cap=900) == 900
    assert backoff_seconds(10**6, cap=600) == 600


def test_a_refused_login_backs_off_gradually_not_straight_to_the_cap() -> None:
    backoff = Backoff(cap=900)
    delays = [backoff.failed("avoinhallinto", auth=True) for _ in range(6)]
    assert delays == [60, 120, 240, 480, 900, 900]


def test_a_success_starts_the_count_again() -> None:
    backoff = Backoff(cap=900)
    backoff.failed("avoinhallinto")
    backoff.failed("avoinhallinto")
    backoff.succeeded("avoinhallinto")
    assert backoff.failed("avoinhallinto") == 15


def test_mailboxes_back_off_each_on_their_own() -> None:
    backoff = Backoff(cap=900)
    backoff.failed("a")
    backoff.failed("a")
    assert (backoff.failed("a"), backoff.failed("b")) == (60, 15)
    assert (backoff.failures("a"), backoff.failures("b")) == (3, 1)
