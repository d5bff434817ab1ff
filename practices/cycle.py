"""One poll cycle of one mailbox as the daemon and `practices poll` both run it: the outcome
recorded in the store, a failure described on one line, and the wait before a failed mailbox is
tried again.

Kept apart from the daemon so that a one-shot poll does not load the scheduler and metrics.
A refused login starts slower, since servers lock accounts that keep guessing, but never jumps
straight to the longest wait.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError

from core.errors import MailboxAuthError, PracticesError
from ingest.poller import CycleReport, MailboxPoller, record_cycle_result
from store.app import App

FIRST_RETRY_SECONDS = 15
# A refused login is retried after a minute, then two, four...: a typo fixed in the secret is
# picked up soon, while an account lockout policy sees few attempts.
AUTH_FIRST_RETRY_SECONDS = 60


def backoff_seconds(failures: int, cap: int, first: int = FIRST_RETRY_SECONDS) -> int:
    """Delay before retry number `failures` (1, 2, ...): `first` doubling, at most `cap`."""
    return int(min(cap, first * 2 ** min(max(0, failures - 1), 32)))


class Backoff:
    """Failed cycles in a row per mailbox, and the wait before the next try."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._failures: dict[str, int] = {}

    def failed(self, mailbox: str, *, auth: bool = False) -> int:
        """Count a failure of `mailbox` and return the seconds to wait before retrying."""
        failures = self._failures[mailbox] = self._failures.get(mailbox, 0) + 1
        first = AUTH_FIRST_RETRY_SECONDS if auth else FIRST_RETRY_SECONDS
        return backoff_seconds(failures, self.cap, first)

    def failures(self, mailbox: str) -> int:
        return self._failures.get(mailbox, 0)

    def succeeded(self, mailbox: str) -> None:
        self._failures.pop(mailbox, None)


@dataclass(frozen=True, slots=True)
class Cycle:
    """How one cycle of one mailbox went: its report, or the error that ended it."""

    mailbox: str
    seconds: float
    report: CycleReport | None = None
    error: str = ""
    auth_failed: bool = False

    @property
    def ok(self) -> bool:
        return self.report is not None

    def failure(self) -> str:
        """One line for the log or the terminal: the mailbox named once, what failed, why."""
        what = "AUTHENTICATION FAILED" if self.auth_failed else "cycle failed"
        error = re.sub(r"^\w+: ", "", self.error).removeprefix(f"mailbox {self.mailbox!r}: ")
        return f"mailbox {self.mailbox}: {what}: {error}"


def describe(exc: Exception) -> str:
    """The error as an operator reads it, on one line; a database error without its SQL."""
    if isinstance(exc, OperationalError):
        text = f"database unavailable: {exc.orig}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return re.sub(r"\s+", " ", text).strip()


def run_cycle(app: App, poller: MailboxPoller, stop: threading.Event) -> Cycle:
    """One cycle with its outcome recorded in the store; logs nothing (the caller says how it
    went, once). Transient failures (network, database locked or down, disk full) end the cycle
    here: no message is marked failed, and the next cycle starts over where this one stopped.
    """
    name = poller.mailbox.name
    started = time.monotonic()
    report: CycleReport | None = None
    error, auth_failed = "", False
    try:
        report = poller.poll(stop)
    except MailboxAuthError as exc:
        error, auth_failed = describe(exc), True
    except (PracticesError, OperationalError) as exc:
        error = describe(exc)
    try:
        record_cycle_result(app, name, error or None)
    except OperationalError as exc:
        # Often this very outage; a cycle that went well is still not done until recorded.
        report, error = None, error or describe(exc)
    return Cycle(name, time.monotonic() - started, report, error, auth_failed)
