"""How the daemon hands IDLE's announcements of new mail to the cycles of a mailbox."""

from __future__ import annotations

from practices.idle import Wakeups


def test_an_announcement_with_no_cycle_under_way_asks_for_one() -> None:
    wakeups = Wakeups()
    assert wakeups.announce("avoinhallinto") is True


def test_an_announcement_during_a_cycle_is_left_to_it_and_runs_it_once_more() -> None:
    wakeups = Wakeups()
    wakeups.begin("avoinhallinto")
    assert wakeups.announce("avoinhallinto") is False  # the running cycle will see it
    assert wakeups.again("avoinhallinto") is True  # it may have come after the SEARCH
    assert wakeups.again("avoinhallinto") is False  # nothing since: the cycles are over
    assert wakeups.announce("avoinhallinto") is True


def test_a_cycle_looks_for_what_was_announced_before_it_began() -> None:
    wakeups = Wakeups()
    assert wakeups.announce("avoinhallinto") is True
    wakeups.begin("avoinhallinto")
    assert wakeups.again("avoinhallinto") is False


def test_mailboxes_are_woken_apart() -> None:
    wakeups = Wakeups()
    wakeups.begin("avoinhallinto")
    assert wakeups.announce("kirjaamo") is True
    assert wakeups.again("avoinhallinto") is False


def test_a_cycle_that_ended_in_an_error_is_over() -> None:
    wakeups = Wakeups()
    wakeups.begin("avoinhallinto")
    wakeups.end("avoinhallinto")
    assert wakeups.announce("avoinhallinto") is True
