"""A cycle that fails part-way: what was fetched is kept, nothing is lost or recorded twice.

Each test breaks one command of the fake server (or the disk) at a named moment, checks what
the failed cycle left behind, and lets the next cycle finish the job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from core.errors import MailboxConnectionError, MailboxError, StorageError
from ingest.pipeline import StartedBatch
from ingest.poller import CycleReport
from store.files import BlobStore
from tests.unit.ingest.conftest import PROCESSED, WATCHED, PollerRig


def fail_call(monkeypatch: pytest.MonkeyPatch, blobs: BlobStore, name: str, number: int) -> None:
    """Make the `number`th call (1-based) of `blobs.name` raise StorageError, as a full disk
    does: `put_raw` while a batch is fetched, `flush` (twice per batch, the first one failing
    when the disk fills) right before a batch's commit."""
    original: Callable[..., Any] = getattr(blobs, name)
    calls = 0

    def failing(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == number:
            raise StorageError("No space left on device (injected)")
        return original(*args, **kwargs)

    monkeypatch.setattr(blobs, name, failing)


def failing_poll(rig: PollerRig, error: type[Exception]) -> None:
    with pytest.raises(error):
        rig.poll()
    rig.assert_nothing_left_below_progress()


# -- a fetch fails: the batches already fetched are salvaged ------------------------------------


def test_a_dropped_fetch_records_the_fetched_batches_and_leaves_them_for_the_next_move(
    rig: PollerRig,
) -> None:
    rig.deliver(7)
    rig.mailbox.drop_connection("fetch", after=2)  # batches (1, 2) and (3, 4) are in hand
    failing_poll(rig, MailboxConnectionError)
    assert [(row.uid, row.server_done) for row in rig.rows()] == [
        (1, False),
        (2, False),
        (3, False),
        (4, False),
    ]
    assert rig.mailbox.sent("move") == []
    assert rig.progress()[1] == 0


def test_the_cycle_after_a_dropped_fetch_moves_the_salvaged_and_fetches_only_the_rest(
    rig: PollerRig,
) -> None:
    raws = rig.deliver(7)
    rig.mailbox.drop_connection("fetch", after=2)
    failing_poll(rig, MailboxConnectionError)
    report = rig.poll()
    assert rig.mailbox.sent("move")[0] == (1, 2, 3, 4)  # the pending moves, before any fetch
    assert rig.mailbox.sent("fetch")[-2:] == [(5, 6), (7,)]
    assert report.outcomes == {"draft": 3} and report.known == 0 and report.moved == 7
    rig.assert_each_once(raws)


@pytest.mark.parametrize(
    ("failing", "call", "recorded"),
    [
        # The first message of batch (5, 6) finds the disk full.
        pytest.param("put_raw", 5, [(1, 2), (3, 4)], id="disk-full-in-the-third-batch"),
        # Recording (3, 4) fails; (5, 6) was fetched too, but is never moved.
        pytest.param("flush", 3, [(1, 2)], id="recording-the-second-batch-fails"),
    ],
)
def test_a_storage_failure_mid_cycle_records_moves_and_counts_only_the_batches_before_it(
    rig: PollerRig,
    monkeypatch: pytest.MonkeyPatch,
    failing: str,
    call: int,
    recorded: list[tuple[int, ...]],
) -> None:
    raws = rig.deliver(7)
    fail_call(monkeypatch, rig.app.blobs, failing, call)
    failing_poll(rig, StorageError)
    uids = [uid for batch in recorded for uid in batch]
    assert rig.mailbox.sent("move") == recorded
    assert [row.uid for row in rig.rows()] == uids
    assert rig.progress()[1] == uids[-1]  # the last UID never passes a batch not recorded
    monkeypatch.undo()
    rig.poll()
    rig.assert_each_once(raws)


def test_salvage_stops_at_the_first_batch_it_cannot_record(
    rig: PollerRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    raws = rig.deliver(7)
    rig.mailbox.refuse("fetch", after=2)  # a NO to (5, 6); (1, 2) and (3, 4) are in hand
    fail_call(monkeypatch, rig.app.blobs, "flush", 1)  # and (1, 2) cannot be recorded
    failing_poll(rig, MailboxError)
    assert rig.rows() == []  # (3, 4) is not recorded ahead of (1, 2)
    assert rig.mailbox.sent("move") == [] and rig.progress()[1] == 0
    monkeypatch.undo()
    rig.poll()
    rig.assert_each_once(raws)


# -- a MOVE whose outcome is unknown is finished by the next cycle -------------------------------


@pytest.mark.parametrize("fault", ["drop_connection", "lose_answer"])
def test_an_unheard_move_is_completed_next_cycle_without_fetching_or_recording_again(
    rig: PollerRig, fault: str
) -> None:
    raws = rig.deliver(2)
    getattr(rig.mailbox, fault)("move")
    failing_poll(rig, MailboxConnectionError)
    assert [row.server_done for row in rig.rows()] == [False, False]
    moved_by_the_server = fault == "lose_answer"
    assert len(rig.mailbox.uids(PROCESSED)) == (2 if moved_by_the_server else 0)
    report = rig.poll()
    assert rig.mailbox.sent("fetch") == [(1, 2)]
    assert rig.mailbox.sent("move") == [(1, 2), (1, 2)]
    assert report == CycleReport("avoinhallinto", moved=2)
    rig.assert_each_once(raws)


def test_pending_moves_go_out_before_new_mail_is_listed(rig: PollerRig) -> None:
    rig.deliver(1)
    rig.mailbox.drop_connection("move")
    failing_poll(rig, MailboxConnectionError)
    rig.deliver(1)
    rig.poll()
    talk = [(c.name, c.uids) for c in rig.mailbox.commands if c.name in ("search", "move")]
    assert talk[-3:] == [("move", (1,)), ("search", ()), ("move", (2,))]


# -- UIDVALIDITY ---------------------------------------------------------------------------------


def test_a_new_uidvalidity_restarts_from_uid_zero_and_matches_known_mail_by_content(
    rig: PollerRig,
) -> None:
    [first, second] = rig.deliver(2)
    rig.poll()
    rig.mailbox.recreate(WATCHED)
    rig.mailbox.deliver(first, WATCHED)  # restored from a backup into the rebuilt folder
    [third] = rig.deliver(1)
    report = rig.poll()
    assert rig.progress() == (rig.mailbox.folders[WATCHED].uidvalidity, 2)
    assert rig.mailbox.sent("fetch")[-1] == (1, 2)
    assert report.known == 1 and report.outcomes == {"draft": 1}
    rig.assert_each_once([first, second, third])


def test_a_move_left_pending_under_an_old_uidvalidity_is_never_sent_for_the_new_uids(
    rig: PollerRig,
) -> None:
    [first] = rig.deliver(1)
    rig.mailbox.drop_connection("move")
    failing_poll(rig, MailboxConnectionError)
    # The folder is rebuilt with another message first: UID 1 now names a stranger.
    rig.mailbox.remove(WATCHED, 1)
    [stranger] = rig.deliver(1)
    rig.mailbox.deliver(first, WATCHED)
    rig.mailbox.recreate(WATCHED)
    report = rig.poll()
    assert rig.mailbox.sent("move")[-1] == (1, 2)  # only after both were fetched and recorded
    assert [c.name for c in rig.mailbox.commands].count("move") == 2
    assert report.known == 1 and report.outcomes == {"draft": 1}
    [row_first, row_stranger] = rig.rows()
    assert (row_first.uid, row_stranger.uid) == (2, 1)
    rig.assert_each_once([first, stranger])


def test_batches_fetched_ahead_are_withdrawn_from_the_workers_when_a_cycle_fails(
    rig: PollerRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig.deliver(7)
    cancelled: list[StartedBatch] = []
    original = StartedBatch.cancel

    def cancel(batch: StartedBatch) -> None:
        cancelled.append(batch)
        original(batch)

    monkeypatch.setattr(StartedBatch, "cancel", cancel)
    fail_call(monkeypatch, rig.app.blobs, "flush", 1)  # recording (1, 2) fails
    failing_poll(rig, StorageError)
    assert len({id(batch) for batch in cancelled}) == 3  # (3, 4) and (5, 6) were fetched ahead
