"""The long-running service: one APScheduler interval job per mailbox, stopped cleanly by signals.

A `BlockingScheduler` runs each mailbox's cycle every `schedule.interval_seconds`, with
`max_instances=1` (cycles of one mailbox never overlap), coalescing (a backlog of missed runs
becomes one) and a first run at start. SIGTERM or SIGINT set a stop event that the cycle checks
between messages; the main thread then shuts the scheduler down and waits for the running cycle.
A failing mailbox is retried with capped exponential backoff; an authentication failure is logged
loudly once and then retried slowly, since servers lock accounts that keep guessing.
With IDLE (`practices.idle`), a watcher thread per mailbox wakes its cycle as soon as mail
arrives; the interval stays as the safety net. Mail out (`practices.mailout.jobs`) runs beside
the polls: a sender thread woken after each cycle's commits, the editors' digest on a cron
trigger and the operators' health watch.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import timedelta
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.exc import OperationalError

from core.config import MailboxSettings
from core.errors import MailboxAuthError, PracticesError
from ingest.pipeline import Pipeline
from ingest.poller import CycleReport, MailboxPoller, record_cycle_result
from practices.idle import IdleWatcher, Wakeups, start_watchers
from practices.mailout.jobs import MailJobs
from practices.mailout.sender import Clock
from store.app import App
from store.models import utcnow

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 15
JOB_STOP_WAIT_SECONDS = 600


def backoff_seconds(failures: int, cap: int) -> int:
    """Delay before retry number `failures` (1, 2, ...): 15 s doubling, at most `cap`."""
    return int(min(cap, FIRST_RETRY_SECONDS * 2 ** max(0, failures - 1)))


def _describe(exc: Exception) -> str:
    """The error as an operator reads it; a database error without its SQL and links."""
    if isinstance(exc, OperationalError):
        return f"database unavailable: {str(exc.orig).strip()}"
    return f"{type(exc).__name__}: {exc}"


def _record(app: App, name: str, error: str | None) -> bool:
    """Record the cycle's outcome; False when the database itself is unavailable."""
    try:
        record_cycle_result(app, name, error)
    except OperationalError as exc:
        # The failure we wanted to record may be this very outage: log it, keep running.
        log.error("mailbox %s: cannot record the cycle's outcome: %s", name, _describe(exc))
        return False
    return True


def run_cycle(app: App, poller: MailboxPoller, stop: threading.Event) -> CycleReport | None:
    """One cycle with its outcome recorded; returns None when it failed (already logged).

    Transient failures (network, database locked or down, disk full) end the cycle here: no
    message is marked failed, and the next cycle starts over where this one stopped.
    """
    name = poller.mailbox.name
    try:
        report = poller.poll(stop)
    except MailboxAuthError as exc:
        _record(app, name, str(exc))
        raise
    except (PracticesError, OperationalError) as exc:
        error = _describe(exc)
        log.error("mailbox %s: cycle failed: %s", name, error)
        _record(app, name, error)
        return None
    if not _record(app, name, None):
        return None
    log.info("%s", report.summary())
    return report


class Daemon:
    """Owns the scheduler, the stop event, one poller per mailbox and the mail out jobs."""

    def __init__(self, app: App, clock: Clock = utcnow) -> None:
        self.app = app
        self.stop = threading.Event()
        self.mail = MailJobs(app, self.stop, clock)
        self.scheduler = BlockingScheduler(timezone="UTC")
        self._running = threading.Lock()
        self._failures: dict[str, int] = {}
        self._auth_reported: set[str] = set()
        self.wakeups = Wakeups()
        self.watchers: list[IdleWatcher] = []
        self._cycling: set[str] = set()
        # Every message in a worker: a crash or hang in a decoder costs that message, not us.
        self.pipeline = pipeline = Pipeline(app, isolate=True)
        self.pollers = [MailboxPoller(app, m, pipeline) for m in app.settings.mailboxes]

    def _job(self, poller: MailboxPoller) -> None:
        if self.stop.is_set():
            return
        name = poller.mailbox.name
        with self._running:
            self._cycling.add(name)
            self.wakeups.take(name)  # this cycle looks for whatever woke it
            try:
                report = run_cycle(self.app, poller, self.stop)
                # Mail announced while the cycle ran may have come after its SEARCH.
                while report is not None and self.wakeups.take(name) and not self.stop.is_set():
                    report = run_cycle(self.app, poller, self.stop)
            except MailboxAuthError as exc:
                if name not in self._auth_reported:
                    log.error("mailbox %s: AUTHENTICATION FAILED - %s", name, exc)
                    self._auth_reported.add(name)
                report = None
                self._failures[name] = 10**6  # go straight to the slowest retry
            finally:
                self._cycling.discard(name)
        # The cycle's commits may have queued acknowledgements: send them now.
        self.mail.wake()
        if report is None:
            self._failures[name] = min(self._failures.get(name, 0) + 1, 10**6)
            delay = backoff_seconds(self._failures[name], self.app.settings.max_backoff_seconds)
            if delay < self.app.settings.interval_seconds or self._failures[name] >= 10**6:
                self._reschedule(poller.mailbox, delay)
        else:
            self._failures.pop(name, None)
            self._auth_reported.discard(name)

    def wake(self, name: str) -> None:
        """New mail in `name` (from its IDLE watcher): run its cycle now, or again right after
        the one running (APScheduler would skip a run while one is going)."""
        self.wakeups.add(name)
        job = self.scheduler.get_job(name)
        if job is not None and name not in self._cycling:
            job.modify(next_run_time=utcnow())

    def _reschedule(self, mailbox: MailboxSettings, delay: int) -> None:
        log.info("mailbox %s: retrying in %d s", mailbox.name, delay)
        job = self.scheduler.get_job(mailbox.name)
        if job is not None:
            job.modify(next_run_time=utcnow() + timedelta(seconds=delay))

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("received %s; stopping after the current message", signal.Signals(signum).name)
        self.stop.set()
        self.mail.wake()
        self.scheduler.shutdown(wait=False)

    def run(self) -> None:
        """Block until SIGTERM or SIGINT, polling every mailbox on its schedule."""
        interval = self.app.settings.interval_seconds
        for poller in self.pollers:
            self.scheduler.add_job(
                self._job,
                "interval",
                args=[poller],
                id=poller.mailbox.name,
                seconds=interval,
                next_run_time=utcnow(),
                max_instances=1,
                coalesce=True,
                misfire_grace_time=interval,
            )
        self.mail.start(self.scheduler)
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        log.info(
            "practices daemon started: %d mailbox(es), every %d s", len(self.pollers), interval
        )
        self.watchers = start_watchers(
            self.app.settings.mailboxes, self.app.settings.schedule, self.stop, self.wake
        )
        self.scheduler.start()
        # The scheduler has stopped; wait for a cycle that is finishing its current message.
        if self._running.acquire(timeout=JOB_STOP_WAIT_SECONDS):
            self._running.release()
        self.mail.join()
        for watcher in self.watchers:
            watcher.join(timeout=JOB_STOP_WAIT_SECONDS)
        self.pipeline.close()
        log.info("practices daemon stopped")
