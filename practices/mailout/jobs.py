"""The daemon's mail work: a sender thread woken after each commit, the daily digest on an
APScheduler cron trigger, and the health watch that alerts operators.

The sender is a loop rather than a scheduled job so that a wake-up after a poll's commit never
collides with a run in progress: it drains, then waits for the next wake-up or
`[outbox] sweep_seconds` (which also picks up mail queued by other processes, such as an
editor's approval). The clock is injectable: tests step the digest's real cron trigger through
its fire times and run the job at each, without sleeping.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.exc import OperationalError

from core.errors import PracticesError
from practices.health import check_health
from practices.mailout.alerts import queue_alert
from practices.mailout.sender import Clock, OutboxSender
from review.dates import EDITORIAL_TZ
from review.digest import queue_digest
from store.app import App
from store.models import OutboxMail, utcnow

log = logging.getLogger(__name__)
SENDER_STOP_WAIT_SECONDS = 120


class MailJobs:
    """Owns the sender thread and adds the digest and alert jobs to the daemon's scheduler."""

    def __init__(self, app: App, stop: threading.Event, clock: Clock = utcnow) -> None:
        self.app = app
        self.stop = stop
        self.clock = clock
        self.sender = OutboxSender(app, clock)
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # -- sending -------------------------------------------------------------------------------

    def wake(self) -> None:
        """Send what is due now (called after a commit that may have queued mail)."""
        self._wake.set()

    def _send_loop(self) -> None:
        sweep = self.app.settings.outbox.sweep_seconds
        while not self.stop.is_set():
            self._wake.clear()
            try:
                self.sender.drain(self.stop)
            except (PracticesError, OperationalError) as exc:
                log.error("outbox: cannot send now: %s", exc)
            self._wake.wait(sweep)

    # -- scheduled -----------------------------------------------------------------------------

    def digest_trigger(self) -> CronTrigger:
        """Every day at `[digest] time`, Finnish time."""
        hour, minute = self.app.settings.digest.hour_minute
        return CronTrigger(hour=hour, minute=minute, timezone=EDITORIAL_TZ)

    def digest_job(self) -> OutboxMail | None:
        """Queue today's digest (if anything is new and none was queued today), then send."""
        with self.app.sessions.begin() as session:
            queued = queue_digest(session, self.app.settings, self.clock())
        if queued is not None:
            log.info("digest queued for %d editor(s)", len(queued.recipients))
            self.wake()
        return queued

    def health_job(self) -> OutboxMail | None:
        """Check health; queue the operators' alert when it turned bad or recovered."""
        now = self.clock()
        report = check_health(self.app, now)
        with self.app.sessions.begin() as session:
            queued = queue_alert(session, self.app.settings, report, now)
        if queued is not None:
            log.warning("health %s: alert queued", queued.context["state"])
            self.wake()
        return queued

    def _guarded(self, job: str) -> None:
        try:
            (self.digest_job if job == "digest" else self.health_job)()
        except (PracticesError, OperationalError) as exc:
            log.error("%s job failed: %s", job, exc)

    def start(self, scheduler: BaseScheduler) -> None:
        """Start the sender and add the digest and health jobs that the configuration asks for."""
        settings = self.app.settings
        if not settings.smtp.enabled:
            return
        self._thread = threading.Thread(target=self._send_loop, name="outbox", daemon=True)
        self._thread.start()
        if settings.digest.editors:
            scheduler.add_job(
                self._guarded,
                self.digest_trigger(),
                args=["digest"],
                id="digest",
                max_instances=1,
                coalesce=True,
                misfire_grace_time=3600,
            )
        if settings.alerts.operators:
            interval = settings.interval_seconds
            scheduler.add_job(
                self._guarded,
                "interval",
                args=["health"],
                id="health",
                seconds=interval,
                next_run_time=utcnow() + timedelta(seconds=interval),
                max_instances=1,
                coalesce=True,
                misfire_grace_time=interval,
            )

    def join(self) -> None:
        """Wait for the sender to finish the mail in hand (`stop` must be set)."""
        self._wake.set()
        if self._thread is not None:
            self._thread.join(SENDER_STOP_WAIT_SECONDS)

    def next_digest(self, after: datetime) -> datetime | None:
        """When the digest fires next after `after` (for tests and the start-up log line)."""
        fire: datetime | None = self.digest_trigger().get_next_fire_time(None, after)
        return fire
