"""One unit of work per message: archive the raw bytes, analyse, record, and report the outcome.

The order is the durability promise:
1. the raw bytes are archived (atomically, fsynced) before anything else happens;
2. a message whose bytes are already known is only relocated, never ingested twice;
3. analysis runs without database writes;
4. the inbound row and its draft are written in one transaction;
5. only after the commit may the caller move the message on the server.
A crash between any two steps leaves a state the next run completes without loss or doubling.
Transient trouble (disk, database) propagates so the cycle stops and retries later; anything else
that goes wrong with one message records it as failed, with its traceback, raw kept.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.errors import MessageError
from core.vocabulary import Outcome
from ingest.analysis import Analysis, Interpretation, Lookups, review
from ingest.envelope import header_facts, header_section
from ingest.memory import return_large_blocks_to_the_os
from ingest.observe import IngestObserver, Unobserved
from ingest.outcomes import (
    Recorded,
    failure_reason,
    new_inbound,
    settle,
    settle_failure,
    too_large,
)
from ingest.workers import TRANSIENT_ERRORS, Interpretations, Interpreter, RawMessage
from store import repository
from store.app import App
from store.models import InboundMessage
from store.repository import DuplicateHit

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Arrival:
    """A raw message and where it was found (no UID for imported files)."""

    raw: bytes
    mailbox: str
    folder: str = ""
    uidvalidity: int | None = None
    uid: int | None = None


class DatabaseLookups:
    """Answers analysis' questions about earlier messages from one read session.

    `own_draft`: the draft being analysed again (`reparse`), which is no duplicate of itself.
    """

    def __init__(self, session: Session, sender: str, own_draft: int | None = None) -> None:
        self.session = session
        self.sender = sender
        self.own_draft = own_draft

    def duplicates(
        self, message_id: str, raw_sha256: str, text_fingerprint: str
    ) -> tuple[DuplicateHit, ...]:
        hits = repository.duplicate_hits(self.session, message_id, raw_sha256, text_fingerprint)
        return tuple(hit for hit in hits if hit.draft_id != self.own_draft)

    def is_recurring_image(self, sha256: str) -> bool:
        return repository.image_seen_from_other_senders(self.session, sha256, self.sender)


@dataclass(frozen=True, slots=True)
class _Archived:
    """An arrival whose raw bytes are archived; only its header block stays in memory."""

    arrival: Arrival
    raw_size: int
    raw_sha256: str
    raw_path: str
    known_at_start: bool


class StartedBatch:
    """A batch whose raw files are written and whose interpretation is under way."""

    def __init__(self, archived: tuple[_Archived, ...], interpretations: Interpretations) -> None:
        self.archived = archived
        self.interpretations = interpretations

    def cancel(self) -> None:
        """Drop the interpretations not yet collected (withdraws queued worker jobs)."""
        self.interpretations.cancel()


class Pipeline:
    """Ingests arrivals into the store; one instance per process, reused across messages."""

    def __init__(
        self, app: App, *, isolate: bool = False, observer: IngestObserver | None = None
    ) -> None:
        """`isolate`: interpret every message in a worker process (see `Interpreter.pools`);
        `observer`: told of every message handled (the daemon's metrics)."""
        self.app = app
        self.observer: IngestObserver = observer or Unobserved()
        self.interpreter = Interpreter(app.settings, app.blobs, isolate=isolate)
        # This process holds raw messages one batch at a time: give each back when it is gone.
        return_large_blocks_to_the_os()

    # -- the unit of work ---------------------------------------------------------------------

    def ingest_batch(
        self, arrivals: Iterable[Arrival], stop: threading.Event | None = None
    ) -> list[Recorded]:
        """Ingest several messages with one durable commit; each is its own savepoint."""
        return self.finish_batch(self.start_batch(arrivals), stop)

    def start_batch(
        self, arrivals: Iterable[Arrival], expected: tuple[int, int] | None = None
    ) -> StartedBatch:
        """Archive each raw message and hand the new ones to the interpreter; nothing is recorded.

        The caller may fetch the next batch while worker processes interpret this one, and then
        call `finish_batch`. Only header blocks stay in memory: the raw bytes live in their
        files, which is what the workers read. With `expected` (message count and total bytes,
        known before fetching) a batch bound for workers keeps no raw bytes even while it is
        archived, so `arrivals` may fetch lazily and memory holds one message at a time.
        """
        blobs = self.app.blobs
        blobs.begin_batch()
        keep_bytes = expected is None or not self.interpreter.pools(*expected)
        stored: list[tuple[Arrival, str, RawMessage]] = []
        for arrival in arrivals:
            digest, path = blobs.put_raw(arrival.raw)
            raw = RawMessage(path, len(arrival.raw), arrival.raw if keep_bytes else None)
            stored.append((replace(arrival, raw=header_section(arrival.raw)), digest, raw))
        with self.app.sessions() as session:
            known = repository.known_raw_hashes(session, [digest for _a, digest, _r in stored])
        archived = tuple(
            _Archived(header, raw.size, digest, raw.path, known_at_start=digest in known)
            for header, digest, raw in stored
        )
        new = [raw for _header, digest, raw in stored if digest not in known]
        del stored
        return StartedBatch(archived, self.interpreter.start(new))

    def finish_batch(
        self, started: StartedBatch, stop: threading.Event | None = None
    ) -> list[Recorded]:
        """Record a started batch in arrival order and commit it durably; return the outcomes.

        The raw files and photo derivatives are made durable together (one syncfs) right before
        the commit, and nothing is moved on the server before this returns: a crash loses only
        uncommitted work, which the next poll fetches again. When `stop` is set, the messages
        not yet recorded are left for the next cycle.
        """
        blobs = self.app.blobs
        blobs.begin_batch()
        results: list[Recorded] = []
        try:
            with self.app.sessions.begin() as session:
                try:
                    for item in started.archived:
                        if stop is not None and stop.is_set():
                            break
                        results.append(self._record_item(session, item, started))
                finally:
                    started.cancel()
                blobs.flush()
        finally:
            blobs.flush()
        return results

    def _record_item(self, session: Session, item: _Archived, started: StartedBatch) -> Recorded:
        if not item.known_at_start:
            return self._record_new(session, item, next(started.interpretations))
        known = self._relocate_known(session, item.arrival, item.raw_sha256)
        if known is not None:
            return known
        # Known a moment ago, gone now (its row was deleted meanwhile): interpret it here.
        raw = RawMessage(item.raw_path, item.raw_size)
        return self._record_new(session, item, next(self.interpreter.start([raw])))

    def close(self) -> None:
        """Stop worker processes, if any were started."""
        self.interpreter.close()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _record_new(
        self, session: Session, item: _Archived, interpretation: Interpretation | Exception
    ) -> Recorded:
        arrival, raw_sha256 = item.arrival, item.raw_sha256
        if isinstance(interpretation, Exception):
            return self._record_failure(session, item, interpretation)
        self.observer.message_interpreted(interpretation.timings)
        for photo in interpretation.photos.photos:
            self.app.blobs.track(photo.web_path, photo.thumbnail_path)
        sender = header_facts(arrival.raw).get("sender", "")
        try:
            analysis = review(
                interpretation,
                raw_sha256,
                settings=self.app.settings,
                lookups=DatabaseLookups(session, sender),
            )
        except TRANSIENT_ERRORS:
            raise
        except Exception as exc:  # noqa: BLE001 - the shunt: keep the message, record why
            return self._record_failure(session, item, exc)
        try:
            with session.begin_nested():
                return self._record(session, item, analysis)
        except IntegrityError:
            # Another process recorded the same message between our look-up and our insert.
            known = self._relocate_known(session, arrival, raw_sha256)
            if known is None:
                raise
            return known

    # -- steps --------------------------------------------------------------------------------

    def _relocate_known(
        self, session: Session, arrival: Arrival, raw_sha256: str
    ) -> Recorded | None:
        row = repository.inbound_by_sha(session, raw_sha256)
        if row is None:
            return None
        elsewhere = (row.uidvalidity, row.uid) != (arrival.uidvalidity, arrival.uid)
        if arrival.uid is not None and arrival.mailbox == row.mailbox and elsewhere:
            row.uidvalidity, row.uid = arrival.uidvalidity, arrival.uid
            row.folder = arrival.folder
            row.server_done = False
        return Recorded(
            inbound_id=row.id,
            outcome=Outcome(row.outcome),
            reason=row.reason,
            draft_id=row.draft.id if row.draft else None,
            known_before=True,
        )

    def _new_inbound(self, item: _Archived) -> InboundMessage:
        arrival = item.arrival
        return new_inbound(
            arrival.mailbox,
            arrival.folder,
            arrival.uidvalidity,
            arrival.uid,
            item.raw_size,
            item.raw_sha256,
            item.raw_path,
        )

    def _record(self, session: Session, item: _Archived, analysis: Analysis) -> Recorded:
        return settle(session, self._new_inbound(item), analysis, self.app.settings)

    def _record_failure(self, session: Session, item: _Archived, exc: Exception) -> Recorded:
        log.warning(
            "message %s could not be processed: %s", item.raw_sha256[:12], failure_reason(exc)[:300]
        )
        with session.begin_nested():
            return settle_failure(session, self._new_inbound(item), exc, item.arrival.raw)

    # -- after the fact -----------------------------------------------------------------------

    def record_oversize(
        self,
        arrival_header: bytes,
        mailbox: str,
        folder: str,
        uidvalidity: int | None,
        uid: int | None,
        size: int,
        limit: int,
        *,
        cause: MessageError | None = None,
        raw_sha256: str | None = None,
    ) -> Recorded:
        """Record a message too large to take in, unread and not archived: one on a server stays
        there, in the failed folder; an imported one is known again by its `raw_sha256`."""
        with self.app.sessions.begin() as session:
            if uid is not None and uidvalidity is not None:
                row = repository.inbound_by_location(session, mailbox, uidvalidity, uid)
            else:
                row = repository.inbound_by_sha(session, raw_sha256) if raw_sha256 else None
            if row is not None:
                return Recorded(row.id, Outcome(row.outcome), row.reason, None, known_before=True)
            row = new_inbound(mailbox, folder, uidvalidity, uid, size, raw_sha256=raw_sha256)
            return settle_failure(session, row, cause or too_large(size, limit), arrival_header)

    def analyse_again(
        self, raw_path: str, raw_size: int, raw_sha256: str, lookups: Lookups
    ) -> Analysis:
        """Analyse an archived message again, interpreted as new mail is: in a worker when this
        pipeline isolates, so a message that crashes or hangs a decoder costs that worker (and at
        most `processing.message_timeout_seconds`), not the command; its failure is raised."""
        interpretation = next(self.interpreter.start([RawMessage(raw_path, raw_size)]))
        if isinstance(interpretation, Exception):
            raise interpretation
        for photo in interpretation.photos.photos:
            self.app.blobs.track(photo.web_path, photo.thumbnail_path)
        return review(interpretation, raw_sha256, settings=self.app.settings, lookups=lookups)

    def retry(self, inbound_id: int) -> Recorded:
        """Run a failed message through analysis again from its archived raw bytes."""
        with self.app.sessions.begin() as session:
            row = session.get(InboundMessage, inbound_id)
            if row is None or row.outcome != Outcome.FAILED.value or not row.raw_path:
                raise MessageError(f"message {inbound_id} is not a failed message with a raw file")
            row.attempts += 1
            try:
                # The sender is the one its failure recorded from the same header block; the
                # raw bytes are read once, by whoever interprets them.
                analysis = self.analyse_again(
                    row.raw_path,
                    row.raw_size,
                    row.raw_sha256 or "",
                    DatabaseLookups(session, row.sender),
                )
            except TRANSIENT_ERRORS:
                raise
            except Exception as exc:  # noqa: BLE001 - still failing: count the attempt, keep it
                return settle_failure(session, row, exc)
            row.error_text = ""
            return settle(session, row, analysis, self.app.settings)
