"""One poll cycle of one mailbox: finish leftover moves, fetch what is new, record, move on.

    connect → check folders → SELECT (UIDVALIDITY) → finish moves a crash left behind
    → UID SEARCH above the last UID → sizes → record oversize ones as failed
    → fetch in size-budgeted batches → pipeline per message → MOVE the batch → remember progress

While worker processes interpret, the next batches are fetched (BATCHES_AHEAD at most); only
the piece being fetched is held in memory, the batches ahead live in their raw files.

A batch's messages are moved only after each one's row is committed, and the progress row is
updated only after the move, so a crash anywhere is completed by the next cycle: committed but
unmoved rows are moved, uncommitted messages are fetched again and matched by their hash.

A server that announces a body larger than the message's RFC822.SIZE allows (or than
`max_message_bytes`) fails the cycle, since the connection is then mid-answer; the message is
recorded failed first (no raw: not a byte of it was read), so the next cycle moves it to the
failed folder like any message too large to fetch.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

from core.config import MailboxSettings
from core.errors import MailboxError, MailboxLiteralTooLarge, MessageTooLarge
from core.vocabulary import Outcome
from ingest.imap_source import ImapSource, size_batches
from ingest.outcomes import Recorded
from ingest.pipeline import Arrival, Pipeline, StartedBatch
from ingest.source import FolderState, MailboxSource, SourceFactory
from store import repository
from store.app import App
from store.models import utcnow

log = logging.getLogger(__name__)

# Bytes of raw mail asked for by one FETCH command (a larger message travels alone). A batch
# (`fetch_batch_bytes`, the unit of commit and MOVE) is fetched in such pieces, each archived
# before the next is asked for, which bounds the daemon's memory without smaller commits.
FETCH_COMMAND_BYTES = 8 * 1024 * 1024
# Batches fetched and handed to the workers before the oldest is recorded and moved. Costs no
# memory (their raws live in files); a crash re-fetches at most this many plus one.
BATCHES_AHEAD = 2
# Characters of a failure's or an ignore's reason shown in its log line (the row keeps 2000).
REASON_SHOWN = 300


@dataclass(frozen=True, slots=True)
class _Fetched:
    """A fetched batch: its UIDs in order, and the pipeline's work on it under way."""

    uids: tuple[int, ...]
    batch: StartedBatch


@dataclass
class CycleReport:
    """What one cycle did, for the summary log line, `practices poll` and the status row."""

    mailbox: str
    outcomes: Counter[str] = field(default_factory=Counter)
    known: int = 0
    moved: int = 0
    stopped_early: bool = False

    def summary(self) -> str:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items())) or "nothing new"
        return f"mailbox {self.mailbox}: {counts}; already known {self.known}; moved {self.moved}"


class MailboxPoller:
    """Polls one configured mailbox with one pipeline; reusable across cycles.

    `open_source` makes the connection of each cycle: the real IMAP client unless a test hands
    in an in-memory mailbox.
    """

    def __init__(
        self,
        app: App,
        mailbox: MailboxSettings,
        pipeline: Pipeline,
        open_source: SourceFactory | None = None,
    ) -> None:
        self.app = app
        self.mailbox = mailbox
        self.pipeline = pipeline
        max_bytes = app.settings.limits.max_message_bytes
        self.open_source = open_source or partial(ImapSource, max_message_bytes=max_bytes)

    def poll(self, stop: threading.Event | None = None) -> CycleReport:
        """Run one cycle; raises MailboxError (or a transient error) when the cycle fails."""
        stop = stop or threading.Event()
        report = CycleReport(self.mailbox.name)
        source = self.open_source(self.mailbox)
        source.connect()
        with contextlib.closing(source):
            source.ensure_folders()
            folder = source.select()
            last_uid = self._start(folder)
            self._finish_pending_moves(source, folder, report)
            new_uids = source.uids_above(last_uid)
            if new_uids:
                self._ingest(source, folder, new_uids, report, stop)
        return report

    # -- steps --------------------------------------------------------------------------------

    def _start(self, folder: FolderState) -> int:
        """The last UID already handled, or 0 after a UIDVALIDITY change."""
        with self.app.sessions.begin() as session:
            state = repository.mailbox_state(session, self.mailbox.name)
            if state.uidvalidity != folder.uidvalidity:
                if state.uidvalidity is not None:
                    log.warning(
                        "mailbox %s: UIDVALIDITY changed from %s to %s; re-matching by content",
                        self.mailbox.name,
                        state.uidvalidity,
                        folder.uidvalidity,
                    )
                state.uidvalidity = folder.uidvalidity
                state.last_uid = 0
            return state.last_uid

    def _finish_pending_moves(
        self, source: MailboxSource, folder: FolderState, report: CycleReport
    ) -> None:
        with self.app.sessions() as session:
            pending = [
                (row.id, row.uid, Outcome(row.outcome))
                for row in repository.pending_moves(session, self.mailbox.name, folder.uidvalidity)
            ]
        if pending:
            log.info("mailbox %s: finishing %d interrupted moves", self.mailbox.name, len(pending))
            moves = [(i, u, o) for i, u, o in pending if u is not None]
            self._move(source, moves, report, interrupted=True)

    def _ingest(
        self,
        source: MailboxSource,
        folder: FolderState,
        uids: list[int],
        report: CycleReport,
        stop: threading.Event,
    ) -> None:
        sizes = source.sizes(uids)
        limit = self.app.settings.limits.max_message_bytes
        oversize = sorted(uid for uid, size in sizes.items() if size > limit)
        moves: list[tuple[int, int, Outcome]] = []
        for uid in oversize:
            recorded = self.pipeline.record_oversize(
                source.fetch_headers(uid),
                self.mailbox.name,
                self.mailbox.folder,
                folder.uidvalidity,
                uid,
                sizes[uid],
                limit,
            )
            self._log(uid, recorded, report)
            moves.append((recorded.inbound_id, uid, recorded.outcome))
        self._move(source, moves, report)
        fetchable = {uid: size for uid, size in sizes.items() if size <= limit}
        if self._ingest_batches(source, folder, fetchable, report, stop) and oversize:
            self._advance(max(oversize))

    def _ingest_batches(
        self,
        source: MailboxSource,
        folder: FolderState,
        fetchable: dict[int, int],
        report: CycleReport,
        stop: threading.Event,
    ) -> bool:
        """Keep fetching while the workers interpret; record and move each batch in order.

        Up to BATCHES_AHEAD batches are fetched and handed to the workers before the oldest is
        recorded, so the workers never wait for the daemon's commit, MOVE and next fetch.
        True when every batch was recorded and moved. If a fetch fails, the batches already
        fetched are still recorded in order (and moved, unless the connection is what failed:
        then the next cycle moves them, as after a crash between commit and MOVE).
        """
        in_flight: deque[_Fetched] = deque()
        try:
            for uids in size_batches(fetchable, self.mailbox.fetch_batch_bytes):
                if stop.is_set():  # SIGTERM: do not fetch a batch (up to 32 MB) only to drop it
                    report.stopped_early = True
                    break
                try:
                    in_flight.append(self._fetch_and_start(source, folder, uids, fetchable))
                except Exception as exc:
                    self._salvage(
                        source, in_flight, report, can_move=not isinstance(exc, MailboxError)
                    )
                    if isinstance(exc, MailboxLiteralTooLarge) and exc.uid in fetchable:
                        self._record_refused(folder, exc.uid, fetchable[exc.uid], exc, report)
                    raise
                oldest = in_flight.popleft() if len(in_flight) > BATCHES_AHEAD else None
                if oldest is not None and not self._finish(source, oldest, report, stop):
                    return False
            while in_flight:
                if not self._finish(source, in_flight.popleft(), report, stop):
                    return False
            return not report.stopped_early
        finally:
            for fetched in in_flight:
                fetched.batch.cancel()

    def _fetch_and_start(
        self, source: MailboxSource, folder: FolderState, uids: list[int], sizes: dict[int, int]
    ) -> _Fetched:
        """Fetch one batch and hand it to the pipeline, FETCH_COMMAND_BYTES at a time, so the
        daemon holds only that much raw mail however large the batch; keeps no raw bytes."""
        fetched_uids: list[int] = []

        def arrivals() -> Iterator[Arrival]:
            for chunk in size_batches({uid: sizes[uid] for uid in uids}, FETCH_COMMAND_BYTES):
                try:
                    fetched = list(source.fetch(chunk))
                except MailboxLiteralTooLarge as exc:
                    if exc.uid is None and len(chunk) == 1:
                        exc.uid = chunk[0]
                    raise
                for uid, raw in fetched:
                    fetched_uids.append(uid)
                    yield Arrival(
                        raw, self.mailbox.name, self.mailbox.folder, folder.uidvalidity, uid
                    )

        expected = (len(uids), sum(sizes[uid] for uid in uids))
        started = self.pipeline.start_batch(arrivals(), expected)
        return _Fetched(tuple(fetched_uids), started)

    def _finish(
        self, source: MailboxSource, fetched: _Fetched, report: CycleReport, stop: threading.Event
    ) -> bool:
        """Record a fetched batch, move it, remember progress; False when stopped part-way."""
        recorded_batch = self.pipeline.finish_batch(fetched.batch, stop)
        moves = []
        for uid, recorded in zip(fetched.uids, recorded_batch, strict=False):
            self._log(uid, recorded, report)
            moves.append((recorded.inbound_id, uid, recorded.outcome))
        self._move(source, moves, report)
        if moves:
            self._advance(max(uid for _id, uid, _o in moves))
        if len(recorded_batch) < len(fetched.uids):
            report.stopped_early = True
            return False
        return True

    def _record_refused(
        self,
        folder: FolderState,
        uid: int,
        announced: int,
        exc: MailboxLiteralTooLarge,
        report: CycleReport,
    ) -> None:
        """Record a message whose body the server announced over its limit as failed."""
        cause = MessageTooLarge(
            f"not fetched: the server announced {exc.size} bytes for a message of RFC822.SIZE "
            f"{announced}, over the limit of {exc.limit} bytes"
        )
        recorded = self.pipeline.record_oversize(
            b"", self.mailbox.name, self.mailbox.folder, folder.uidvalidity, uid, exc.size,
            exc.limit, cause=cause,
        )  # fmt: skip
        self._log(uid, recorded, report)

    def _salvage(
        self,
        source: MailboxSource,
        in_flight: deque[_Fetched],
        report: CycleReport,
        *,
        can_move: bool,
    ) -> None:
        """Record the fetched batches, oldest first, although the cycle is failing.

        Stops at the first batch that cannot be recorded: a later batch must never be moved
        (and progress advanced past) while an earlier one is still unrecorded.
        """
        while in_flight:
            fetched = in_flight.popleft()
            try:
                if can_move:
                    self._finish(source, fetched, report, threading.Event())
                    continue
                recorded_batch = self.pipeline.finish_batch(fetched.batch)
            except Exception:  # noqa: BLE001 - the error that stopped the cycle is the one to report
                log.warning("mailbox %s: could not record a fetched batch", self.mailbox.name)
                fetched.batch.cancel()
                return
            for uid, recorded in zip(fetched.uids, recorded_batch, strict=False):
                self._log(uid, recorded, report)
            log.info(
                "mailbox %s: fetched batch recorded; the next cycle moves it", self.mailbox.name
            )

    def _move(
        self,
        source: MailboxSource,
        moves: list[tuple[int, int, Outcome]],
        report: CycleReport,
        *,
        interrupted: bool = False,
    ) -> None:
        """MOVE each outcome group with one command, then record that they left."""
        if not moves:
            return
        failed = [uid for _i, uid, outcome in moves if outcome is Outcome.FAILED]
        done = [uid for _i, uid, outcome in moves if outcome is not Outcome.FAILED]
        if done:
            source.move(done, self.mailbox.processed_folder, interrupted=interrupted)
        if failed:
            source.move(failed, self.mailbox.failed_folder, interrupted=interrupted)
        with self.app.sessions.begin() as session:
            repository.mark_server_done(session, [inbound_id for inbound_id, _u, _o in moves])
        report.moved += len(moves)

    def _advance(self, uid: int) -> None:
        with self.app.sessions.begin() as session:
            state = repository.mailbox_state(session, self.mailbox.name)
            state.last_uid = max(state.last_uid, uid)

    def _log(self, uid: int, recorded: Recorded, report: CycleReport) -> None:
        """One line per message: its outcome and, for a failure or an ignore, the reason; the
        facts also as `extra` fields, which the JSON log format shows as keys of their own."""
        if recorded.known_before:
            report.known += 1
        else:
            report.outcomes[recorded.outcome.value] += 1
        self.pipeline.observer.message_recorded(self.mailbox.name, recorded)
        reason = recorded.reason[:REASON_SHOWN] if recorded.outcome is not Outcome.DRAFT else ""
        log.log(
            logging.WARNING if recorded.outcome is Outcome.FAILED else logging.INFO,
            "mailbox %s uid %d: %s%s (inbound %d%s)%s",
            self.mailbox.name,
            uid,
            recorded.outcome.value,
            " (already known)" if recorded.known_before else "",
            recorded.inbound_id,
            f", draft {recorded.draft_id}" if recorded.draft_id else "",
            f": {reason}" if reason else "",
            extra={
                "mailbox": self.mailbox.name,
                "uid": uid,
                "inbound_id": recorded.inbound_id,
                "draft_id": recorded.draft_id,
                "outcome": recorded.outcome.value,
                "reason": reason or None,
            },
        )


def record_cycle_result(app: App, mailbox: str, error: str | None) -> None:
    """Write the health facts of a finished cycle: when, and whether it failed."""
    with app.sessions.begin() as session:
        state = repository.mailbox_state(session, mailbox)
        state.last_poll_at = utcnow()
        if error is None:
            state.last_success_at = state.last_poll_at
            state.consecutive_failures = 0
        else:
            state.last_error = error[:2000]
            state.consecutive_failures += 1
