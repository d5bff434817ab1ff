"""A cycle without faults: UID order, byte-budgeted batches, record before move before progress."""

from __future__ import annotations

import threading

from tests.mail import submission
from tests.unit.ingest.conftest import FAILED, MESSAGE_BYTES, PROCESSED, WATCHED, PollerRig


def test_messages_are_fetched_and_moved_in_uid_order_two_per_batch(rig: PollerRig) -> None:
    raws = rig.deliver(5)
    report = rig.poll()
    assert rig.mailbox.sent("fetch") == [(1, 2), (3, 4), (5,)]
    assert rig.mailbox.sent("move") == [(1, 2), (3, 4), (5,)]
    assert [row.uid for row in rig.rows()] == [1, 2, 3, 4, 5]
    assert report.outcomes == {"draft": 5} and report.moved == 5
    rig.assert_each_once(raws)


def test_batches_are_fetched_ahead_while_the_oldest_is_recorded_and_moved(rig: PollerRig) -> None:
    rig.deliver(7)
    rig.poll()
    talk = [(c.name, c.uids) for c in rig.mailbox.commands if c.name in ("fetch", "move")]
    assert talk == [
        ("fetch", (1, 2)),
        ("fetch", (3, 4)),
        ("fetch", (5, 6)),
        ("move", (1, 2)),
        ("fetch", (7,)),
        ("move", (3, 4)),
        ("move", (5, 6)),
        ("move", (7,)),
    ]


def test_a_message_is_moved_only_after_its_row_is_committed(rig: PollerRig) -> None:
    rig.deliver(3)
    seen_at_move: list[list[tuple[int | None, bool]]] = []
    rig.mailbox.before("move", lambda: seen_at_move.append(rows_and_done(rig)))
    rig.mailbox.before("move", lambda: seen_at_move.append(rows_and_done(rig)), after=1)
    rig.poll()
    assert seen_at_move == [[(1, False), (2, False)], [(1, True), (2, True), (3, False)]]


def test_progress_is_the_highest_uid_moved(rig: PollerRig) -> None:
    rig.deliver(3)
    rig.poll()
    assert rig.progress() == (rig.mailbox.folders[WATCHED].uidvalidity, 3)


def test_a_second_cycle_asks_only_for_uids_above_progress(rig: PollerRig) -> None:
    rig.deliver(2)
    rig.poll()
    rig.deliver(1)
    report = rig.poll()
    assert rig.mailbox.sent("fetch") == [(1, 2), (3,)]
    assert report.outcomes == {"draft": 1} and report.known == 0


def test_an_empty_folder_fetches_and_moves_nothing(rig: PollerRig) -> None:
    report = rig.poll()
    assert rig.mailbox.sent("fetch") == [] and rig.mailbox.sent("move") == []
    assert report.summary().endswith("nothing new; already known 0; moved 0")


def test_an_oversize_message_is_recorded_from_its_header_and_never_fetched(rig: PollerRig) -> None:
    rig.deliver(1)
    rig.mailbox.deliver(submission(body="iso liite " * MESSAGE_BYTES), WATCHED)
    rig.deliver(1)
    report = rig.poll()
    assert rig.mailbox.sent("fetch_headers") == [(2,)]
    assert all(2 not in uids for uids in rig.mailbox.sent("fetch"))
    assert rig.mailbox.uids(FAILED) == [1] and len(rig.mailbox.uids(PROCESSED)) == 2
    [oversize] = [row for row in rig.rows() if row.uid == 2]
    assert oversize.outcome == "failed" and "max_message_bytes" in oversize.reason
    assert oversize.subject == "Selkokielinen lomake" and oversize.raw_sha256 is None
    assert report.outcomes == {"draft": 2, "failed": 1}
    assert rig.progress()[1] == 3


def test_a_message_that_vanishes_before_its_fetch_is_skipped_and_the_rest_recorded(
    rig: PollerRig,
) -> None:
    rig.deliver(3)
    rig.mailbox.before("fetch", lambda: rig.mailbox.remove(WATCHED, 2))
    report = rig.poll()
    assert [row.uid for row in rig.rows()] == [1, 3]
    assert rig.mailbox.sent("move") == [(1,), (3,)]
    assert report.outcomes == {"draft": 2}
    assert rig.progress()[1] == 3


def test_a_stop_between_batches_fetches_no_more_and_the_next_cycle_finishes(
    rig: PollerRig,
) -> None:
    raws = rig.deliver(7)
    stop = threading.Event()
    rig.mailbox.before("move", stop.set)
    report = rig.poll(stop)
    assert report.stopped_early
    assert rig.mailbox.sent("fetch") == [(1, 2), (3, 4), (5, 6)]
    assert [row.uid for row in rig.rows()] == [1, 2]
    assert rig.progress()[1] == 2
    rig.assert_nothing_left_below_progress()
    rig.poll()
    rig.assert_each_once(raws)


def rows_and_done(rig: PollerRig) -> list[tuple[int | None, bool]]:
    return [(row.uid, row.server_done) for row in rig.rows()]
