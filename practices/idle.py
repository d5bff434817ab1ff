"""Push instead of polling: one thread per mailbox waits in IMAP IDLE and wakes its cycle.

Each mailbox with `idle = true` gets an `IdleWatcher` thread with a connection of its own that
EXAMINEs the watched folder and waits (`ingest.imap_idle.MailWatch`: IDLE renewed every
`schedule.idle_renew_seconds`, or NOOP every `schedule.idle_noop_seconds` where the server has
no IDLE). When the server announces new mail the watcher calls `wake(mailbox)`: the daemon runs
that mailbox's cycle at once, or once more right after the cycle already running, so a message
becomes a draft within seconds. The cycle itself is unchanged (its own connection, its own
SEARCH); the interval schedule stays as the safety net for anything IDLE misses.

The daemon starts a mailbox's watcher only while it holds that mailbox's lock
(`store.locks`), and stops it when the lock is lost: a standby daemon neither polls nor IDLEs.
Each watcher has its own stop event, so one can be retired while the daemon runs on.

A dropped or refused connection is retried with backoff (2 s doubling up to
`schedule.max_backoff_seconds`); after reconnecting the watcher wakes the cycle once, since
mail may have arrived while it was away. An OAuth 2.0 token nearing its expiry ends the
connection between two waits, and the next one logs in with a fresh token.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from core.config import MailboxSettings
from core.config.tables import ScheduleSettings
from core.errors import MailboxAuthError, PracticesError
from ingest.imap_idle import MailWatch
from ingest.imap_source import ImapSource

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 2.0


class Wakeups:
    """Which mailboxes have a cycle under way and which had new mail announced since their
    cycle looked; one lock makes "announce" and "was anything announced?" exclusive, so an
    announcement is either seen by the running cycle or schedules a new one, never neither."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._cycling: set[str] = set()

    def announce(self, mailbox: str) -> bool:
        """New mail in `mailbox`; True when no cycle of it is under way (so schedule one)."""
        with self._lock:
            self._pending.add(mailbox)
            return mailbox not in self._cycling

    def begin(self, mailbox: str) -> None:
        """A cycle of `mailbox` starts: it will look for whatever was announced so far."""
        with self._lock:
            self._cycling.add(mailbox)
            self._pending.discard(mailbox)

    def again(self, mailbox: str) -> bool:
        """After a cycle: True (and cleared) when mail was announced while it ran, since it may
        have come after its SEARCH; else the cycle is over."""
        with self._lock:
            if mailbox in self._pending:
                self._pending.discard(mailbox)
                return True
            self._cycling.discard(mailbox)
            return False

    def end(self, mailbox: str) -> None:
        """The cycles of `mailbox` are over, however they ended."""
        with self._lock:
            self._cycling.discard(mailbox)


class IdleWatcher(threading.Thread):
    """Waits for new mail in one mailbox and calls `wake(name)` when some arrives."""

    def __init__(
        self,
        mailbox: MailboxSettings,
        schedule: ScheduleSettings,
        wake: Callable[[str], None],
    ) -> None:
        super().__init__(name=f"idle-{mailbox.name}", daemon=True)
        self.mailbox = mailbox
        self.schedule = schedule
        self.stop = threading.Event()
        self.wake = wake
        self.connections = 0
        self.watch: MailWatch | None = None

    def retire(self) -> None:
        """Stop waiting: the current IDLE ends within half a second (`ingest.imap_idle`)."""
        self.stop.set()

    def run(self) -> None:
        failures = 0
        while not self.stop.is_set():
            try:
                self._watch_one_connection()
                failures = 0
            except PracticesError as exc:
                failures += 1
                delay = self._backoff(failures, auth=isinstance(exc, MailboxAuthError))
                log.warning(
                    "mailbox %s: waiting for new mail failed (%s); reconnecting in %d s",
                    self.mailbox.name,
                    exc,
                    delay,
                    extra={"mailbox": self.mailbox.name},
                )
                self.stop.wait(delay)

    def _watch_one_connection(self) -> None:
        with ImapSource(self.mailbox) as source:
            state = source.select(readonly=True)
            self.watch = watch = MailWatch(source, state.exists)
            self.connections += 1
            if self.connections > 1:
                self.wake(self.mailbox.name)  # mail may have come while we were away
            seconds = (
                self.schedule.idle_renew_seconds
                if watch.uses_idle
                else self.schedule.idle_noop_seconds
            )
            log.info(
                "mailbox %s: waiting for new mail with %s",
                self.mailbox.name,
                "IDLE" if watch.uses_idle else f"NOOP every {seconds} s (no IDLE)",
                extra={"mailbox": self.mailbox.name},
            )
            while not self.stop.is_set():
                if watch.wait(seconds, self.stop):
                    log.info(
                        "mailbox %s: new mail announced",
                        self.mailbox.name,
                        extra={"mailbox": self.mailbox.name},
                    )
                    self.wake(self.mailbox.name)
                if source.token is not None and source.token.refresh_due(time.time()):
                    return  # a new connection logs in with a fresh token

    def _backoff(self, failures: int, *, auth: bool) -> float:
        cap = float(self.schedule.max_backoff_seconds)
        if auth:
            return cap
        return min(cap, FIRST_RETRY_SECONDS * 2.0 ** min(failures - 1, 20))
