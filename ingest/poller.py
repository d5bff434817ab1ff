"""One poll cycle of one mailbox: finish leftover moves, fetch what is new, record, move on.

    connect → check folders → SELECT (UIDVALIDITY) → finish moves a crash left behind
    → UID SEARCH above the last UID → sizes → record oversize ones as failed
    → fetch in size-budgeted batches → pipeline per message → MOVE the batch → remember progress

While worker processes interpret one batch, the next one is fetched: one batch ahead at most,
and only the batch being fetched is held in memory (the one ahead lives in its raw files).

A batch's messages are moved only after each one's row is committed, and the progress row is
updated only after the move, so a crash anywhere is completed by the next cycle: committed but
unmoved rows are moved, uncommitted messages are fetched again and matched by their hash.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass, field

from ingest.imap_source import FolderState, ImapSource, size_batches
from ingest.pipeline import Arrival, Pipeline, Recorded, StartedBatch
from practices.app import App
from practices.config import MailboxSettings
from practices.errors import MailboxError
from store import repository
from store.models import Outcome, utcnow

log = logging.getLogger(__name__)


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
    """Polls one configured mailbox with one pipeline; reusable across cycles."""

    def __init__(self, app: App, mailbox: MailboxSettings, pipeline: Pipeline) -> None:
        self.app = app
        self.mailbox = mailbox
        self.pipeline = pipeline

    def poll(self, stop: threading.Event | None = None) -> CycleReport:
        """Run one cycle; raises MailboxError (or a transient error) when the cycle fails."""
        stop = stop or threading.Event()
        report = CycleReport(self.mailbox.name)
        with ImapSource(self.mailbox) as source:
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
        self, source: ImapSource, folder: FolderState, report: CycleReport
    ) -> None:
        with self.app.sessions() as session:
            pending = [
                (row.id, row.uid, Outcome(row.outcome))
                for row in repository.pending_moves(session, self.mailbox.name, folder.uidvalidity)
            ]
        if pending:
            log.info("mailbox %s: finishing %d interrupted moves", self.mailbox.name, len(pending))
            self._move(source, [(i, u, o) for i, u, o in pending if u is not None], report)

    def _ingest(
        self,
        source: ImapSource,
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
        source: ImapSource,
        folder: FolderState,
        fetchable: dict[int, int],
        report: CycleReport,
        stop: threading.Event,
    ) -> bool:
        """Fetch batch N+1 while the workers interpret batch N, then record and move N.

        True when every batch was recorded and moved. If fetching the next batch fails, the
        batch already fetched is still recorded (and moved, unless the connection is what
        failed: then the next cycle moves it, as after a crash between commit and MOVE).
        """
        waiting: _Fetched | None = None
        try:
            for uids in size_batches(fetchable, self.mailbox.fetch_batch_bytes):
                if stop.is_set():  # SIGTERM: do not fetch a batch (up to 32 MB) only to drop it
                    report.stopped_early = True
                    break
                fetched = self._fetch_and_start(source, folder, uids)
                ready, waiting = waiting, fetched
                if ready is not None and not self._finish(source, ready, report, stop):
                    return False
            ready, waiting = waiting, None
            if ready is not None and not self._finish(source, ready, report, stop):
                return False
            return not report.stopped_early
        except Exception as exc:
            if waiting is not None:
                salvaged, waiting = waiting, None
                self._salvage(source, salvaged, report, can_move=not isinstance(exc, MailboxError))
            raise
        finally:
            if waiting is not None:
                waiting.batch.cancel()

    def _fetch_and_start(
        self, source: ImapSource, folder: FolderState, uids: list[int]
    ) -> _Fetched:
        """Fetch one size-budgeted batch and hand it to the pipeline; keeps no raw bytes."""
        arrivals: list[Arrival] = []
        fetched_uids: list[int] = []
        for uid, raw in source.fetch(uids):
            fetched_uids.append(uid)
            arrivals.append(
                Arrival(raw, self.mailbox.name, self.mailbox.folder, folder.uidvalidity, uid)
            )
        return _Fetched(tuple(fetched_uids), self.pipeline.start_batch(arrivals))

    def _finish(
        self, source: ImapSource, fetched: _Fetched, report: CycleReport, stop: threading.Event
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

    def _salvage(
        self, source: ImapSource, fetched: _Fetched, report: CycleReport, *, can_move: bool
    ) -> None:
        """Record a fetched batch although the cycle is failing; the original error is raised."""
        try:
            if can_move:
                self._finish(source, fetched, report, threading.Event())
                return
            for uid, recorded in zip(
                fetched.uids, self.pipeline.finish_batch(fetched.batch), strict=False
            ):
                self._log(uid, recorded, report)
        except Exception:  # noqa: BLE001 - the error that stopped the cycle is the one to report
            log.warning("mailbox %s: could not record the last fetched batch", self.mailbox.name)
            return
        log.info("mailbox %s: fetched batch recorded; the next cycle moves it", self.mailbox.name)

    def _move(
        self, source: ImapSource, moves: list[tuple[int, int, Outcome]], report: CycleReport
    ) -> None:
        """MOVE each outcome group with one command, then record that they left."""
        if not moves:
            return
        failed = [uid for _i, uid, outcome in moves if outcome is Outcome.FAILED]
        done = [uid for _i, uid, outcome in moves if outcome is not Outcome.FAILED]
        if done:
            source.move(done, self.mailbox.processed_folder)
        if failed:
            source.move(failed, self.mailbox.failed_folder)
        with self.app.sessions.begin() as session:
            repository.mark_server_done(session, [inbound_id for inbound_id, _u, _o in moves])
        report.moved += len(moves)

    def _advance(self, uid: int) -> None:
        with self.app.sessions.begin() as session:
            state = repository.mailbox_state(session, self.mailbox.name)
            state.last_uid = max(state.last_uid, uid)

    def _log(self, uid: int, recorded: Recorded, report: CycleReport) -> None:
        if recorded.known_before:
            report.known += 1
        else:
            report.outcomes[recorded.outcome.value] += 1
        log.info(
            "mailbox %s uid %d: %s%s (inbound %d%s)",
            self.mailbox.name,
            uid,
            recorded.outcome.value,
            " (already known)" if recorded.known_before else "",
            recorded.inbound_id,
            f", draft {recorded.draft_id}" if recorded.draft_id else "",
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
