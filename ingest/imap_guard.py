"""Bounds on what an IMAP server can make us wait for and read, checked as each byte arrives.

imaplib bounds only each socket read (the socket timeout): a server that trickles a byte every
few seconds, or answers SELECT with `* 1 EXISTS` forever, keeps one command running for ever,
and a literal is read in full at whatever size the server announces (`{99999999999}`). Here
every read of a response goes through the `ResponseGuard` of the command it answers:
- a deadline for the whole response, however slowly its bytes come;
- at most so many response lines (untagged responses included) and bytes of lines;
- every literal at most `literal_limit(line)` bytes, decided from its announced size and the
  line that announced it, before a byte of it is read.
A server over a bound raises `ServerMisbehaved` (`ResponseTooSlow` for the deadline) out of the
imaplib call; the connection is then mid-response and useless, and the caller drops it.

`GuardedIMAPClient` is imapclient's client on top of `GuardedIMAP4`, an imaplib connection that
reads through the guard. Reading stays below imaplib's own buffering (which changed in Python
3.14), so the guard sees every byte, the greeting and the STARTTLS answer included.
"""

from __future__ import annotations

import imaplib
import re
import select
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from imapclient import IMAPClient

# Bytes asked of the socket per read: about one TLS record, small enough to check the deadline
# often on a slow link.
_RECV_BYTES = 64 * 1024
# RFC 3501 §9: nz-number and number are unsigned 32-bit.
NUMBER_LIMIT = 2**32
# Response lines a command may bring besides one per item asked about: untagged EXISTS,
# EXPUNGE, FLAGS and status lines a server may add at any time.
SPARE_LINES = 1000
# Bytes of response lines (literals aside) per command: a UID SEARCH of 1.5 million messages.
LINE_BYTES = 16 * 1024 * 1024
# A literal in any answer but a message's body (folder names, headers): a generous bound.
SMALL_LITERAL = 1024 * 1024
_UID_IN_LINE = re.compile(rb"\bUID (\d+)", re.IGNORECASE)


class ServerMisbehaved(Exception):
    """Raised when the server's answer breaks a bound: too many lines, too large a literal."""


class ResponseTooSlow(ServerMisbehaved):
    """Raised when a response has not ended by its command's deadline."""


class LiteralOverLimit(ServerMisbehaved):
    """Raised before reading a literal larger than the command allows; `uid` when the line that
    announced it named one."""

    def __init__(self, size: int, limit: int, uid: int | None) -> None:
        where = f" for UID {uid}" if uid is not None else ""
        super().__init__(f"announced a literal of {size} bytes{where}, over the limit of {limit}")
        self.size, self.limit, self.uid = size, limit, uid


def uid_in(line: bytes) -> int | None:
    """The UID a FETCH response line names before its literal, if any."""
    match = _UID_IN_LINE.search(line)
    return int(match.group(1)) if match else None


@dataclass(frozen=True, slots=True)
class ResponseLimits:
    """What the response to one command may cost."""

    command: str
    seconds: float
    max_lines: int
    max_line_bytes: int
    literal_limit: Callable[[bytes], int]


def small_literal(_line: bytes) -> int:
    """The literal limit of every answer but a message body's."""
    return SMALL_LITERAL


def literal_cap(announced: int | None, max_message_bytes: int) -> int:
    """Bytes a message body may have: twice its RFC822.SIZE plus 1 MiB (servers count line
    ends and encodings differently), never over `max_message_bytes`."""
    if announced is None:
        return max_message_bytes
    return min(max_message_bytes, 2 * announced + 1024 * 1024)


def answer_limits(
    command: str,
    seconds: float,
    *,
    items: int = 0,
    literal_limit: Callable[[bytes], int] = small_literal,
) -> ResponseLimits:
    """The bounds on the answer to one command about `items` messages."""
    return ResponseLimits(
        command=command,
        seconds=seconds,
        max_lines=SPARE_LINES + 4 * items,
        max_line_bytes=LINE_BYTES,
        literal_limit=literal_limit,
    )


class ResponseGuard:
    """Counts one command's response against its limits; `begin` starts the next command."""

    def __init__(self, read_timeout: float, limits: ResponseLimits) -> None:
        self.read_timeout = read_timeout
        self.begin(limits)

    def begin(self, limits: ResponseLimits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.lines = 0
        self.line_bytes = 0

    def wait_seconds(self) -> float:
        """How long the next socket read may wait: the read timeout, or less near the deadline."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise self.too_slow()
        return min(self.read_timeout, remaining)

    def deadline_passed(self) -> bool:
        return time.monotonic() >= self.deadline

    def too_slow(self) -> ResponseTooSlow:
        limits = self.limits
        return ResponseTooSlow(
            f"did not finish answering {limits.command} within {limits.seconds:g} s"
        )

    def line_bytes_so_far(self, size: int) -> None:
        """Check a line still being read: it alone may not pass the bytes limit either."""
        if self.line_bytes + size > self.limits.max_line_bytes:
            raise ServerMisbehaved(
                f"sent more than {self.limits.max_line_bytes} bytes of response lines "
                f"to {self.limits.command}"
            )

    def line(self, size: int) -> None:
        self.line_bytes_so_far(size)
        self.lines += 1
        self.line_bytes += size
        if self.lines > self.limits.max_lines:
            raise ServerMisbehaved(
                f"sent more than {self.limits.max_lines} response lines to {self.limits.command}"
            )

    def literal(self, size: int, announcing_line: bytes) -> None:
        limit = self.limits.literal_limit(announcing_line)
        if size > limit:
            raise LiteralOverLimit(size, limit, uid_in(announcing_line))


class GuardedIMAP4(imaplib.IMAP4):
    """An imaplib connection (plain, or TLS from the start) whose every read is guarded."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        ssl_context: ssl.SSLContext | None,
        connect_timeout: float,
        guard: ResponseGuard,
    ) -> None:
        self.guard = guard
        self._ssl_context = ssl_context
        self._buffer = bytearray()
        self._scanned = 0
        self._last_line = b""
        super().__init__(host, port, timeout=connect_timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout)
        if self._ssl_context is None:
            return sock
        return self._ssl_context.wrap_socket(sock, server_hostname=self.host)

    def _fill(self) -> bool:
        """Read more bytes into the buffer; False at the end of the stream."""
        self.sock.settimeout(self.guard.wait_seconds())
        try:
            chunk = self.sock.recv(_RECV_BYTES)
        except TimeoutError:
            if self.guard.deadline_passed():
                raise self.guard.too_slow() from None
            raise
        self._buffer += chunk
        return bool(chunk)

    def readline(self) -> bytes:
        while (end := self._buffer.find(b"\n", self._scanned)) < 0:
            self._scanned = len(self._buffer)
            self.guard.line_bytes_so_far(self._scanned)
            if not self._fill():
                end = len(self._buffer) - 1
                break
        line = bytes(self._buffer[: end + 1])
        del self._buffer[: end + 1]
        self._scanned = 0
        self.guard.line(len(line))
        self._last_line = line
        return line

    def data_ready(self, timeout: float) -> bool:
        """Whether a response byte can be read within `timeout` seconds (IDLE's wait): bytes
        already buffered, by us or by TLS, count without waiting."""
        if self._buffer:
            return True
        if isinstance(self.sock, ssl.SSLSocket) and self.sock.pending():
            return True
        readable, _w, _x = select.select([self.sock], [], [], max(0.0, timeout))
        return bool(readable)

    def read(self, size: int) -> bytes:
        self.guard.literal(size, self._last_line)
        while len(self._buffer) < size and self._fill():
            pass
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def starttls(self, ssl_context: Any = None) -> tuple[Literal["OK"], list[None]]:
        answer = super().starttls(ssl_context)
        if self._buffer:
            # Bytes that came with the plain-text answer would be read as if they had come
            # over TLS: a man in the middle's injection (CVE-2011-0411 and its IMAP kin).
            raise ServerMisbehaved("sent data after its STARTTLS answer, before TLS began")
        return answer


class GuardedIMAPClient(IMAPClient):  # type: ignore[misc]  # imapclient has no type hints
    """imapclient's client over a `GuardedIMAP4` connection."""

    def __init__(self, host: str, *, guard: ResponseGuard, **kwargs: Any) -> None:
        self._guard = guard
        super().__init__(host, **kwargs)

    def _create_IMAP4(self) -> GuardedIMAP4:  # noqa: N802 - imapclient's name
        return GuardedIMAP4(
            self.host,
            self.port,
            ssl_context=self.ssl_context if self.ssl else None,
            connect_timeout=getattr(self._timeout, "connect", None) or self._guard.read_timeout,
            guard=self._guard,
        )
