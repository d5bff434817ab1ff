"""The long-running service: one APScheduler interval job per mailbox, stopped cleanly by signals.

A `BlockingScheduler` runs each mailbox's cycle every `schedule.interval_seconds`, with
`max_instances=1` (cycles of one mailbox never overlap), coalescing (a backlog of missed runs
becomes one) and a first run at start. SIGTERM or SIGINT set a stop event that the cycle checks
between messages; the main thread then shuts the scheduler down and waits for the running cycle.

A failing mailbox is retried with capped exponential backoff (`practices.cycle.Backoff`), one
log line per attempt saying what failed and when the next try is.

One daemon per mailbox (`store.locks`): on SQLite a second daemon is refused at start; on
PostgreSQL it stands by and takes a mailbox over at the first try after its holder is gone.
With IDLE (`practices.idle`), a watcher thread per mailbox whose lock this daemon holds wakes
its cycle as soon as mail arrives; the interval stays as the safety net.
With `[metrics] enabled`, the daemon serves Prometheus metrics (`practices.metrics`).
Mail out (`practices.mailout.jobs`) runs beside the polls: a sender thread woken after each
cycle's commits, the editors' digest on a cron trigger and the operators' health watch.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType

from apscheduler.schedulers.blocking import BlockingScheduler
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from core.config import MailboxSettings
from ingest.pipeline import Pipeline
from ingest.poller import MailboxPoller
from practices.cycle import Backoff, Cycle, describe, run_cycle
from practices.idle import IdleWatcher, Wakeups
from practices.mailout.jobs import MailJobs
from practices.mailout.sender import Clock
from practices.metrics import Metrics, MetricsServer
from store.app import App
from store.locks import DatabaseFileLock, MailboxLocks
from store.models import utcnow

log = logging.getLogger(__name__)

JOB_STOP_WAIT_SECONDS = 600


class Daemon:
    """Owns the scheduler, the stop event, the locks, the metrics, one poller per mailbox and
    the mail out jobs."""

    def __init__(self, app: App, clock: Clock = utcnow) -> None:
        self.app = app
        self.stop = threading.Event()
        self.mail = MailJobs(app, self.stop, clock)
        self.scheduler = BlockingScheduler(timezone="UTC")
        self._running = threading.Lock()
        self.backoff = Backoff(app.settings.max_backoff_seconds)
        self.metrics = Metrics(app) if app.settings.metrics.enabled else None
        url = make_url(app.settings.database_url)
        sqlite = url.get_backend_name() == "sqlite"
        self.file_lock = DatabaseFileLock(Path(url.database or "")) if sqlite else None
        self.locks = None if self.file_lock else MailboxLocks(app.settings.database_url)
        self._standing_by: set[str] = set()
        self.wakeups = Wakeups()
        self.watchers: dict[str, IdleWatcher] = {}
        # Every message in a worker: a crash or hang in a decoder costs that message, not us.
        self.pipeline = pipeline = Pipeline(app, isolate=True, observer=self.metrics)
        self.pollers = [MailboxPoller(app, m, pipeline) for m in app.settings.mailboxes]

    # -- one scheduled run --------------------------------------------------------------------

    def _job(self, poller: MailboxPoller) -> None:
        name = poller.mailbox.name
        self.wakeups.begin(name)
        try:
            while not self.stop.is_set():
                cycle = self._cycle(poller)
                if cycle is None or not self._finished(cycle) or not self.wakeups.again(name):
                    return
        finally:
            self.wakeups.end(name)

    def _cycle(self, poller: MailboxPoller) -> Cycle | None:
        """One cycle when this daemon holds the mailbox (None while another instance does);
        the holder, and only it, also waits for new mail in IDLE."""
        name = poller.mailbox.name
        with self._running:
            try:
                held = self._holds(name)
            except OperationalError as exc:
                self._unwatch(name)  # a lost lock connection lost the lock with it
                return Cycle(name, 0.0, error=describe(exc))
            if not held:
                self._unwatch(name)
                return None
            self._watch(poller.mailbox)
            return run_cycle(self.app, poller, self.stop)

    def _finished(self, cycle: Cycle) -> bool:
        """Send what the cycle queued, count it, log it, and on failure retry after a backoff;
        whether it went well."""
        name = cycle.mailbox
        # The cycle's commits may have queued acknowledgements: send them now.
        self.mail.wake()
        if self.metrics is not None:
            self.metrics.cycle_finished(name, cycle.seconds, ok=cycle.ok)
        if cycle.report is not None:
            self.backoff.succeeded(name)
            log.info("%s", cycle.report.summary(), extra={"mailbox": name})
            return True
        delay = self.backoff.failed(name, auth=cycle.auth_failed)
        log.error(
            "%s; %d in a row, retrying in %d s",
            cycle.failure(),
            self.backoff.failures(name),
            delay,
            extra={"mailbox": name, "reason": cycle.error},
        )
        self._run_at(name, utcnow() + timedelta(seconds=delay))
        return False

    def wake(self, name: str) -> None:
        """New mail in `name` (from its IDLE watcher): run its cycle now, or once more right
        after the one under way (APScheduler would skip a run while one is going)."""
        if self.wakeups.announce(name) and not self.stop.is_set():
            self._run_at(name, utcnow())

    def _run_at(self, name: str, when: datetime) -> None:
        job = self.scheduler.get_job(name)
        if job is not None:
            job.modify(next_run_time=when)

    def _watch(self, mailbox: MailboxSettings) -> None:
        """Start `mailbox`'s IDLE watcher unless it has one running (or `idle = false`)."""
        watcher = self.watchers.get(mailbox.name)
        if not mailbox.idle or (watcher is not None and watcher.is_alive()):
            return
        self.watchers[mailbox.name] = watcher = IdleWatcher(
            mailbox, self.app.settings.schedule, self.wake
        )
        watcher.start()

    def _unwatch(self, name: str) -> None:
        watcher = self.watchers.pop(name, None)
        if watcher is not None:
            log.info("mailbox %s: lock lost; no longer waiting for new mail", name)
            watcher.retire()

    def _holds(self, name: str) -> bool:
        """Whether this daemon may poll `name` now (on PostgreSQL: holds its lock)."""
        if self.locks is None:
            return True
        if self.locks.hold(name):
            if name in self._standing_by:
                self._standing_by.discard(name)
                log.warning("mailbox %s: the other instance is gone; taking over", name)
            return True
        if name not in self._standing_by:
            self._standing_by.add(name)
            log.info(
                "mailbox %s: another instance polls it; standing by, trying every %d s",
                name,
                self.app.settings.interval_seconds,
                extra={"mailbox": name},
            )
        return False

    # -- life ---------------------------------------------------------------------------------

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        log.info("received %s; stopping after the current message", signal.Signals(signum).name)
        self.stop.set()
        self.mail.wake()
        for watcher in self.watchers.values():
            watcher.retire()
        self.scheduler.shutdown(wait=False)

    def run(self) -> None:
        """Block until SIGTERM or SIGINT, polling every mailbox on its schedule."""
        if self.file_lock is not None:
            self.file_lock.acquire()
        server = MetricsServer(self.metrics, self.app.settings) if self.metrics else None
        try:
            self._schedule_and_block()
        finally:
            for watcher in self.watchers.values():
                watcher.retire()
                watcher.join(timeout=JOB_STOP_WAIT_SECONDS)
            self.pipeline.close()
            if server is not None:
                server.close()
            if self.locks is not None:
                self.locks.close()
            if self.file_lock is not None:
                self.file_lock.release()

    def _schedule_and_block(self) -> None:
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
        self.scheduler.start()
        # The scheduler has stopped; wait for a cycle that is finishing its current message.
        if self._running.acquire(timeout=JOB_STOP_WAIT_SECONDS):
            self._running.release()
        self.mail.join()
        log.info("practices daemon stopped")
