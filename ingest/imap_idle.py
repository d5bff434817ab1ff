"""Waiting on an open connection for the server to say that new mail has arrived.

With IDLE (RFC 2177) the server tells us at once: `* 12 EXISTS`. An IDLE is ended with DONE and
issued again every `idle_renew_seconds` (under 29 minutes: the RFC lets servers drop a client
idle for 30), which also proves the connection is alive. A server without IDLE is asked with
NOOP every `idle_noop_seconds`; its answer carries the same untagged EXISTS.

EXISTS is the folder's new message count; EXPUNGE (our own poll moving mail out) lowers it
by one. Only a count above what we knew means new mail, so our own moves wake nothing.
Every read is guarded as any command's answer is (`imap_guard`): a deadline, line caps.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

from core.errors import MailboxConnectionError
from ingest.imap_guard import GuardedIMAP4
from ingest.imap_source import ImapSource

# How often a wait looks at the stop event while nothing arrives.
STOP_CHECK_SECONDS = 0.5


class MailWatch:
    """Watches the folder `source` has selected (EXAMINE); `wait` returns on new mail."""

    def __init__(self, source: ImapSource, exists: int) -> None:
        self.source = source
        self.exists = exists
        self.idles = 0  # IDLE commands issued, renewals included
        self.noops = 0

    @property
    def uses_idle(self) -> bool:
        return "IDLE" in self.source.capabilities

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """Wait up to `seconds` (or until `stop`); True when new mail was announced."""
        if self.uses_idle:
            return self._idle(seconds, stop)
        stop.wait(seconds)
        if stop.is_set():
            return False
        return self._noop()

    def _idle(self, seconds: float, stop: threading.Event) -> bool:
        source, client = self.source, self.source.client
        source.call(source.limits("IDLE"), client.idle)
        self.idles += 1
        imap = client._imap
        assert isinstance(imap, GuardedIMAP4)
        arrived = False
        deadline = time.monotonic() + seconds
        while not arrived and not stop.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if not imap.data_ready(min(remaining, STOP_CHECK_SECONDS)):
                continue
            line = source.call(source.limits("IDLE"), imap.readline)
            if not line:
                raise MailboxConnectionError(
                    f"mailbox {source.settings.name!r}: the server closed the connection in IDLE"
                )
            arrived = self._counts_new_mail([line])
        _text, responses = source.call(source.limits("DONE"), client.idle_done)
        return self._counts_new_mail(responses) or arrived

    def _noop(self) -> bool:
        source = self.source
        _text, responses = source.call(source.limits("NOOP"), source.client.noop)
        self.noops += 1
        return self._counts_new_mail(responses)

    def _counts_new_mail(self, responses: Iterable[object]) -> bool:
        """Follow EXISTS and EXPUNGE; True when the count rose above what we knew."""
        grew = False
        for response in responses:
            number, kind = _untagged(response)
            if kind == b"EXPUNGE":
                self.exists = max(0, self.exists - 1)
            elif kind == b"EXISTS" and number is not None:
                grew = grew or number > self.exists
                self.exists = number
        return grew


def _untagged(response: object) -> tuple[int | None, bytes]:
    """(number, keyword) of `* 12 EXISTS`, raw or as imapclient parsed it."""
    if isinstance(response, bytes):
        parts = response.strip().split()
        if len(parts) >= 3 and parts[0] == b"*" and parts[1].isdigit():
            return int(parts[1]), parts[2].upper()
        return None, b""
    if isinstance(response, tuple) and len(response) >= 2 and isinstance(response[0], int):
        kind = response[1]
        return response[0], kind.upper() if isinstance(kind, bytes) else b""
    return None, b""
