"""Sends the outbox: one mail at a time, each step its own commit, so a crash repeats one mail
at most, and retries with capped backoff until the server takes it or refuses it for good.

    claim (queued → sending; the mail is rendered once and kept) → commit
    → SMTP → sent | queued again at now + backoff (4xx, connection) | failed (5xx) → commit
    → copy to the sent folder

A mail left "sending" by a process that died (SIGKILL, power loss) is claimed again once its
claim has expired or, on the same host, once its claimer's process is gone; it goes out again
with the same Message-ID and bytes. When the server cannot be reached at all, the drain stops at
the first mail and leaves the rest due for the next one: the outbox drains by itself when the
server is back.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.vocabulary import MailStatus
from practices.mailout.compose import compose, render
from practices.mailout.copies import SentCopies
from practices.mailout.templates import TemplateProblem, Templates
from practices.mailout.transport import PermanentFailure, SmtpConnection, TemporaryFailure
from store import outbox
from store.app import App
from store.models import OutboxMail, utcnow

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
# Copies still owed to the sent folder, tried at the end of each drain.
COPY_BACKLOG = 50


def retry_delay(attempts: int, first_seconds: int, cap_seconds: int) -> timedelta:
    """The wait after failed attempt number `attempts` (1, 2, ...): doubling, at most `cap`."""
    return timedelta(seconds=min(cap_seconds, first_seconds * 2 ** max(0, attempts - 1)))


def this_process() -> str:
    """Who claims mail: host and process id, so a dead claimer on this host is known."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _dead_here(claimers: list[str], me: str) -> list[str]:
    """Claimers on this host whose process is gone (ours counts: a drain that ended midway)."""
    host = socket.gethostname()
    dead = []
    for claimer in claimers:
        claimer_host, _colon, pid = claimer.rpartition(":")
        if claimer_host != host or not pid.isdigit():
            continue
        if claimer == me:
            dead.append(claimer)
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            dead.append(claimer)
        except PermissionError:
            continue  # alive, someone else's
    return dead


@dataclass
class DrainReport:
    """What one drain did."""

    sent: int = 0
    deferred: int = 0
    failed: int = 0

    def summary(self) -> str:
        return f"outbox: sent {self.sent}, deferred {self.deferred}, failed {self.failed}"


@dataclass(frozen=True, slots=True)
class _Claimed:
    """What sending needs of a claimed row, read inside its transaction."""

    id: int
    recipients: list[str]
    raw: bytes
    attempts: int
    mailbox: str


class OutboxSender:
    """Drains the outbox through one SMTP connection per drain; safe to call repeatedly."""

    def __init__(self, app: App, clock: Clock = utcnow) -> None:
        self.app = app
        self.clock = clock
        self.claimer = this_process()
        self.templates = Templates(app.settings.outbox.templates_dir)
        smtp = app.settings.smtp
        # Longer than one send can take (connect, EHLO, STARTTLS, login, MAIL, RCPT, DATA).
        self.lease = timedelta(seconds=smtp.timeout_seconds * 8 + 30)
        self._draining = threading.Lock()

    def drain(self, stop: threading.Event | None = None) -> DrainReport:
        """Send every mail due now; stops early when asked or when the server is unreachable."""
        report = DrainReport()
        if not self.app.settings.smtp.enabled:
            return report
        with self._draining:
            with self.app.sessions() as session:
                dead = _dead_here(outbox.in_flight_claimers(session), self.claimer)
            connection = SmtpConnection(self.app.settings.smtp)
            copies = SentCopies(self.app.settings)
            try:
                while stop is None or not stop.is_set():
                    claimed = self._claim(dead, report)
                    if claimed is None:
                        break
                    if claimed.raw and not self._send(connection, copies, claimed, report):
                        break
                self._owed_copies(copies)
            finally:
                connection.close()
                copies.close()
        if report.sent or report.deferred or report.failed:
            log.info("%s", report.summary())
        return report

    def _claim(self, dead: list[str], report: DrainReport) -> _Claimed | None:
        """The next mail due, marked sending and rendered (once), or None when none is due."""
        with self.app.sessions.begin() as session:
            row = outbox.claim_next(
                session, self.claimer, self.lease, dead_claimers=dead, now=self.clock()
            )
            if row is None:
                return None
            if not row.rendered:
                try:
                    text = render(row, self.templates)
                    row.rendered = compose(row, text, self.app.settings).decode("ascii")
                except TemplateProblem as exc:
                    outbox.mark_failed(session, row, str(exc))
                    log.error("outbox mail %d: %s", row.id, exc)
                    report.failed += 1
                    return _Claimed(row.id, [], b"", row.attempts, "")
            return _Claimed(
                row.id,
                list(row.recipients),
                row.rendered.encode("ascii"),
                row.attempts,
                row.mailbox,
            )

    def _send(
        self,
        connection: SmtpConnection,
        copies: SentCopies,
        mail: _Claimed,
        report: DrainReport,
    ) -> bool:
        """Send one claimed mail and record the outcome; False when the drain should stop."""
        settings = self.app.settings
        try:
            note = connection.send(settings.smtp.from_address, mail.recipients, mail.raw)
        except TemporaryFailure as exc:
            wait = retry_delay(
                mail.attempts,
                settings.outbox.first_retry_seconds,
                settings.outbox.max_backoff_seconds,
            )
            with self.app.sessions.begin() as session:
                outbox.mark_retry(session, self._row(session, mail), str(exc), self.clock() + wait)
            log.warning(
                "outbox mail %d: %s; next attempt in %d s", mail.id, exc, wait.total_seconds()
            )
            report.deferred += 1
            return connection.is_open
        except PermanentFailure as exc:
            with self.app.sessions.begin() as session:
                outbox.mark_failed(session, self._row(session, mail), str(exc))
            log.error("outbox mail %d refused for good: %s", mail.id, exc)
            report.failed += 1
            return True
        with self.app.sessions.begin() as session:
            row = self._row(session, mail)
            outbox.mark_sent(session, row, self.clock())
            row.last_error = note
        report.sent += 1
        if copies.wanted(mail.mailbox) and copies.append(mail.mailbox, mail.raw):
            with self.app.sessions.begin() as session:
                self._row(session, mail).copied = True
        return True

    def _owed_copies(self, copies: SentCopies) -> None:
        """Copies that failed earlier (the IMAP server was away), tried again."""
        if not copies.mailboxes:
            return
        with self.app.sessions() as session:
            owed = session.execute(
                select(OutboxMail.id, OutboxMail.mailbox, OutboxMail.rendered)
                .where(
                    OutboxMail.status == MailStatus.SENT.value,
                    OutboxMail.copied.is_(False),
                    OutboxMail.mailbox.in_(list(copies.mailboxes)),
                )
                .order_by(OutboxMail.id)
                .limit(COPY_BACKLOG)
            ).all()
        for mail_id, mailbox, rendered in owed:
            if not copies.append(mailbox, rendered.encode("ascii")):
                return
            with self.app.sessions.begin() as session:
                row = session.get(OutboxMail, mail_id)
                if row is not None:
                    row.copied = True

    @staticmethod
    def _row(session: Session, mail: _Claimed) -> OutboxMail:
        row = session.get(OutboxMail, mail.id)
        assert row is not None  # outbox rows are never deleted
        return row
