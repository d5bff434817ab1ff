"""A byte-level TCP proxy on loopback that breaks connections on purpose, for the fault tests.

It sits between practice-inbox and a local server (Dovecot's IMAP or IMAPS port, PostgreSQL)
and passes bytes through unchanged until a fault is armed. Faults are one-shot: each fires on
the next connection that meets its condition, so the poll after it runs clean.

    with FaultProxy(dovecot.host, dovecot.imap_port) as proxy:
        proxy.cut_on_command(b"UID MOVE", forward=True)   # server moves, client never hears
        ...poll through proxy.port...
        assert proxy.fired["cut_on_command"] == 1

Faults:
- `cut_after_server_bytes(n, after=b"BODY.PEEK[]")`: once the client has sent `after`, cut the
  connection after `n` more bytes from the server (mid-FETCH). Works through TLS when `after=b""`.
- `cut_on_command(needle, forward=False)`: when the client sends a line containing `needle`,
  cut before forwarding it, or forward it, swallow the server's whole answer and then cut.
  Needs plain IMAP, since it reads commands.
- `stall_on_command(needle, seconds)`: forward the command, then pass nothing back for `seconds`.
- `refuse_for(seconds)`: accept and close at once every connection during that time.
- `cut_all()`: drop every open connection now (a server or a database "going away").

Bounded on purpose: it listens on 127.0.0.1 only, forwards only to loopback, accepts at most
`max_connections` and stops by itself after `lifetime_seconds`.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType

CHUNK = 16 * 1024


@dataclass
class _CommandFault:
    needle: bytes
    action: str  # "cut_before", "cut_after_answer", "stall"
    seconds: float = 0.0


class _Link:
    """One client connection and its upstream: two pump threads and the armed faults."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, upstream: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.closed = threading.Event()
        self.swallow_until_tag: bytes | None = None
        self.stall_until = 0.0
        self.byte_budget: int | None = None
        self.byte_trigger: bytes | None = None
        self._client_tail = b""
        self._server_tail = b""

    def start(self) -> None:
        for source, forward in ((self.client, self._to_server), (self.upstream, self._to_client)):
            threading.Thread(
                target=self._pump, args=(source, forward), daemon=True, name="fault-proxy-pump"
            ).start()

    def close(self) -> None:
        if self.closed.is_set():
            return
        self.closed.set()
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):  # already gone: the point of this class
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _pump(self, source: socket.socket, forward: Callable[[bytes], bool]) -> None:
        """Hand what `source` sends to `forward` until either side closes or `forward` cuts
        the link (returns False); then close both sides."""
        try:
            while not self.closed.is_set():
                data = source.recv(CHUNK)
                if not data or not forward(data):
                    break
        except OSError:
            pass  # the other side closed or we cut it
        self.close()

    # -- client → server ----------------------------------------------------------------------

    def _to_server(self, data: bytes) -> bool:
        seen = self._client_tail + data
        self._client_tail = seen[-256:]
        if self.byte_trigger is not None and self.byte_trigger in seen:
            self.byte_trigger = None  # the budget now counts down on server bytes
        fault = self.proxy._take_command_fault(seen)
        if fault is not None:
            self.proxy._fire(f"command:{fault.action}")
            if fault.action == "cut_before":
                return False
            # Armed before forwarding, so that no byte of the answer slips through.
            if fault.action == "stall":
                self.stall_until = time.monotonic() + fault.seconds
            else:
                self.swallow_until_tag = _tag_of(seen, fault.needle)
        self.upstream.sendall(data)
        return True

    # -- server → client ----------------------------------------------------------------------

    def _to_client(self, data: bytes) -> bool:
        while time.monotonic() < self.stall_until and not self.closed.is_set():
            time.sleep(0.05)
        if self.swallow_until_tag is not None:
            seen = self._server_tail + data
            self._server_tail = seen[-512:]
            # Cut once the server has finished the command: the client never hears.
            return b"\r\n" + self.swallow_until_tag + b" " not in b"\r\n" + seen
        if self.byte_budget is not None and self.byte_trigger is None:
            if len(data) >= self.byte_budget:
                self.client.sendall(data[: self.byte_budget])
                self.proxy._fire("cut_after_server_bytes")
                return False
            self.byte_budget -= len(data)
        self.client.sendall(data)
        self.proxy._count(len(data))
        return True


def _tag_of(seen: bytes, needle: bytes) -> bytes:
    """The IMAP tag of the command line that contains `needle`."""
    line_start = seen.rfind(b"\n", 0, seen.find(needle)) + 1
    return seen[line_start:].split(b" ", 1)[0]


class FaultProxy:
    """Forwards 127.0.0.1:`port` to a loopback target; faults are armed by the methods below."""

    def __init__(
        self,
        target_host: str,
        target_port: int,
        *,
        max_connections: int = 500,
        lifetime_seconds: float = 900.0,
    ) -> None:
        if not ipaddress.ip_address(socket.gethostbyname(target_host)).is_loopback:
            raise ValueError(f"the fault proxy forwards to loopback only, not {target_host}")
        self.target = (target_host, target_port)
        self.max_connections = max_connections
        self.deadline = time.monotonic() + lifetime_seconds
        self.fired: Counter[str] = Counter()
        self.connections = 0
        self.bytes_to_client = 0
        self._lock = threading.Lock()
        self._links: list[_Link] = []
        self._command_faults: list[_CommandFault] = []
        self._byte_fault: tuple[int, bytes] | None = None
        self._refuse_until = 0.0
        self._stopped = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True, name="fault-proxy")

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self.cut_all()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        self._listener.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- faults -------------------------------------------------------------------------------

    def cut_after_server_bytes(self, nbytes: int, after: bytes = b"") -> None:
        """On the next connection that sends `after` (any, if empty), cut after `nbytes` more."""
        with self._lock:
            self._byte_fault = (nbytes, after)

    def cut_on_command(self, needle: bytes, *, forward: bool) -> None:
        """Cut when the client sends `needle`: before it reaches the server, or after its answer."""
        action = "cut_after_answer" if forward else "cut_before"
        with self._lock:
            self._command_faults.append(_CommandFault(needle, action))

    def stall_on_command(self, needle: bytes, seconds: float) -> None:
        """Forward the command carrying `needle`, then send the client nothing for `seconds`."""
        with self._lock:
            self._command_faults.append(_CommandFault(needle, "stall", seconds))

    def refuse_for(self, seconds: float) -> None:
        """Close every new connection at once for `seconds`."""
        with self._lock:
            self._refuse_until = time.monotonic() + seconds

    def stop_refusing(self) -> None:
        with self._lock:
            self._refuse_until = 0.0

    def cut_all(self) -> None:
        """Drop every open connection now."""
        with self._lock:
            links, self._links = self._links, []
        for link in links:
            link.close()

    # -- internals ----------------------------------------------------------------------------

    def _fire(self, name: str) -> None:
        with self._lock:
            self.fired[name] += 1

    def _count(self, nbytes: int) -> None:
        with self._lock:
            self.bytes_to_client += nbytes

    def _take_command_fault(self, seen: bytes) -> _CommandFault | None:
        with self._lock:
            for fault in self._command_faults:
                if fault.needle in seen:
                    self._command_faults.remove(fault)
                    return fault
        return None

    def _serve(self) -> None:
        while not self._stopped.is_set() and time.monotonic() < self.deadline:
            try:
                client, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            self.connections += 1
            if time.monotonic() < self._refuse_until or self.connections > self.max_connections:
                self._fire("refused")
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            link = _Link(self, client, upstream)
            with self._lock:
                if self._byte_fault is not None:
                    link.byte_budget, trigger = self._byte_fault
                    link.byte_trigger = trigger or None
                    self._byte_fault = None
                self._links = [known for known in self._links if not known.closed.is_set()]
                self._links.append(link)
            link.start()
        self.cut_all()
