"""A real SMTP server on loopback for tests and the demo: aiosmtpd with STARTTLS and AUTH.

It speaks the wire as a submission server does: STARTTLS required before anything else (a
certificate from a CA that only the test trusts), AUTH required after it, then MAIL, RCPT,
DATA. Every accepted mail is kept in `received` (in arrival order, raw bytes), so a test can
count what arrived, by Message-ID, and read its headers. Faults are set by the test: `stop()`
and `start()` on the same port (the server down and back), `refuse` (a 5xx to RCPT TO for an
address), `defer` (a 4xx), and `data_delay` (a slow DATA reply, for kill tests).

    with SmtpServer(base_dir, users={"avoinhallinto": "pw"}) as server:
        ...  # [smtp] host = server.host, port = server.port, ca_file = server.ca_file
        server.messages()
"""

from __future__ import annotations

import asyncio
import base64
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from devserver.tls import write_tls_files

HOST = "127.0.0.1"
# aiosmtpd logs every session at INFO and a deprecation of its own at WARNING on each login.
logging.getLogger("mail.log").setLevel(logging.ERROR)


@dataclass(frozen=True)
class Received:
    """One mail the server accepted: envelope and the bytes of the message."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes

    @property
    def message(self) -> Message:
        return message_from_bytes(self.content)

    @property
    def message_id(self) -> str:
        return str(self.message.get("Message-ID", "")).strip()


@dataclass
class _Faults:
    refuse: dict[str, str] = field(default_factory=dict)
    defer: dict[str, str] = field(default_factory=dict)
    data_delay: float = 0.0


class _Handler:
    """Records every accepted mail; answers RCPT TO with the faults the test set."""

    def __init__(self, server: SmtpServer) -> None:
        self.server = server

    async def auth_XOAUTH2(self, smtp: SMTP, args: list[str]) -> AuthResult:  # noqa: N802
        """XOAUTH2 as Exchange Online takes it: the bearer token checked by `token_check`."""
        if len(args) >= 2:
            raw = base64.b64decode(args[1])
        else:  # no initial response: ask for it with an empty challenge (RFC 4954)
            answer = await smtp.challenge_auth("")
            if not isinstance(answer, bytes):
                return AuthResult(success=False, handled=False)
            raw = answer
        fields = dict(
            part.split("=", 1)
            for part in raw.decode("utf-8", "replace").split("\x01")
            if "=" in part
        )
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        check = self.server.token_check
        if check is not None and check(user, token):
            with self.server._lock:
                self.server.logins.append(user)
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, _smtp: SMTP, _session: Session, envelope: Envelope, address: str, _options: Any
    ) -> str:
        faults = self.server.faults
        if address.lower() in faults.refuse:
            return faults.refuse[address.lower()]
        if address.lower() in faults.defer:
            return faults.defer[address.lower()]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, _smtp: SMTP, _session: Session, envelope: Envelope
    ) -> str:
        if self.server.faults.data_delay:
            await asyncio.sleep(self.server.faults.data_delay)
        content = envelope.original_content or b""
        self.server.record(Received(envelope.mail_from or "", tuple(envelope.rcpt_tos), content))
        return "250 2.0.0 Message accepted for delivery"


class _Controller(Controller):
    """aiosmtpd's controller with STARTTLS and AUTH required."""

    def __init__(self, server: SmtpServer, tls: ssl.SSLContext) -> None:
        super().__init__(_Handler(server), hostname=HOST, port=server.port)
        self.smtp_server = server
        self.tls = tls

    def factory(self) -> SMTP:
        return SMTP(
            self.handler,
            hostname="smtp.test",
            tls_context=self.tls,
            require_starttls=True,
            auth_required=True,
            auth_require_tls=True,
            authenticator=self.smtp_server.authenticate,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class SmtpServer:
    """A submission server on a free loopback port, with its own CA in `base_dir/tls`."""

    def __init__(self, base_dir: Path, users: Mapping[str, str] | None = None) -> None:
        self.host = HOST
        self.port = _free_port()
        self.users = dict(users or {"avoinhallinto": "smtp-secret"})
        files = write_tls_files(base_dir / "tls")
        self.ca_file = files.ca_file
        self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self._tls.load_cert_chain(files.cert_file, files.key_file)
        self.faults = _Faults()
        self.logins: list[str] = []
        # Accepts (user, bearer token) for AUTH XOAUTH2; None: every token is refused.
        self.token_check: Callable[[str, str], bool] | None = None
        self._received: list[Received] = []
        self._lock = threading.Lock()
        self._controller: _Controller | None = None

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Listen (again) on the same port."""
        if self._controller is None:
            self._controller = _Controller(self, self._tls)
            self._controller.start()

    def stop(self) -> None:
        """Stop listening: connections are refused until `start`."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- what the server saw -------------------------------------------------------------------

    def authenticate(
        self, _smtp: SMTP, _session: Session, _envelope: Envelope, _mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login = data.login.decode("utf-8", "replace")
            if self.users.get(login) == data.password.decode("utf-8", "replace"):
                with self._lock:
                    self.logins.append(login)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def record(self, mail: Received) -> None:
        with self._lock:
            self._received.append(mail)

    def messages(self) -> list[Received]:
        """Every mail accepted so far, in arrival order."""
        with self._lock:
            return list(self._received)

    def clear(self) -> None:
        with self._lock:
            self._received.clear()

    def wait_for(self, count: int, timeout: float = 15.0) -> list[Received]:
        """The mails accepted once there are at least `count` (or when `timeout` has passed)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages()
            if len(found) >= count:
                return found
            time.sleep(0.02)
        return self.messages()
