"""What every throwaway IMAP server of the tests offers them: users, mail in, mail looked at.

`DovecotServer` and `CourierServer` differ in how they are configured and started; once one
answers on its ports, tests talk to it through these same helpers, as any IMAP client would.
Folder names given to the helpers are in the server's own form ("INBOX.Käsitellyt" on Courier);
`folder("Käsitellyt/2026")` turns a name written as in the TOML into that form, from what the
server was configured with (an oracle independent of the code under test, which asks NAMESPACE).
"""

from __future__ import annotations

import re
import socket
import ssl
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from imapclient import IMAPClient

CLIENT_TIMEOUT_SECONDS = 15.0
_APPENDUID = re.compile(rb"APPENDUID \d+ (\d+)")


class ImapTestServer:
    """The client side of a test IMAP server; subclasses set the ports, CA, users, namespace."""

    host: str
    imap_port: int
    imaps_port: int
    ca_file: Path
    namespace_prefix: str
    separator: str
    _users: dict[str, str]

    _user_serial: int

    def start(self) -> None:
        """Start the server; it answers on its ports when this returns."""
        raise NotImplementedError

    def close(self) -> None:
        """Stop the server and remove what it wrote."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def add_user(self, user: str, password: str) -> None:
        """Add a user with an empty mailbox, usable at once."""
        raise NotImplementedError

    def fresh_user(self) -> tuple[str, str]:
        """A (user, password) never handed out before, with an empty mailbox."""
        self._user_serial += 1
        user = f"box{self._user_serial:05d}"
        self.add_user(user, f"pw-{user}")
        return user, self._users[user]

    def password(self, user: str) -> str:
        return self._users[user]

    def folder(self, configured: str) -> str:
        """`configured` ("Käsitellyt/2026", as in the TOML) in this server's form."""
        if configured.upper() == "INBOX":
            return "INBOX"
        return self.namespace_prefix + configured.replace("/", self.separator)

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts only this server's throwaway CA."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def client(self, user: str, *, tls: bool = False) -> IMAPClient:
        """A logged-in client over plain IMAP (default) or verified IMAPS; the caller logs out."""
        if tls:
            imap = IMAPClient(
                self.host,
                port=self.imaps_port,
                ssl=True,
                ssl_context=self.ssl_context(),
                timeout=CLIENT_TIMEOUT_SECONDS,
            )
        else:
            imap = IMAPClient(
                self.host, port=self.imap_port, ssl=False, timeout=CLIENT_TIMEOUT_SECONDS
            )
        try:
            imap.login(user, self._users[user])
        except BaseException:
            imap.shutdown()
            raise
        return imap

    @contextmanager
    def logged_in(self, user: str) -> Iterator[IMAPClient]:
        """A logged-in plain-IMAP client for the `with` block, logged out after it."""
        imap = self.client(user)
        try:
            yield imap
        finally:
            imap.logout()

    def append(self, user: str, folder: str, raw_bytes: bytes, flags: Iterable[str] = ()) -> int:
        """Append a raw message to `folder` (created if missing) and return its UID."""
        with self.logged_in(user) as imap:
            if not imap.folder_exists(folder):
                imap.create_folder(folder)
            response = imap.append(folder, raw_bytes, flags=tuple(flags))
        match = _APPENDUID.search(response)
        if match is None:
            raise RuntimeError(f"server did not report APPENDUID: {response!r}")
        return int(match.group(1))

    def create_folder(self, user: str, folder: str) -> None:
        with self.logged_in(user) as imap:
            imap.create_folder(folder)

    def delete_folder(self, user: str, folder: str) -> None:
        with self.logged_in(user) as imap:
            imap.delete_folder(folder)

    def list_uids(self, user: str, folder: str) -> list[int]:
        """UIDs of every message in `folder`, ascending (deleted-but-not-expunged included)."""
        with self.logged_in(user) as imap:
            imap.select_folder(folder, readonly=True)
            return sorted(int(uid) for uid in imap.search("ALL"))

    def folder_names(self, user: str) -> list[str]:
        """Every folder of `user`, decoded from modified UTF-7."""
        with self.logged_in(user) as imap:
            return sorted(name for _flags, _sep, name in imap.list_folders())


def free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


def greets(host: str, port: int) -> bool:
    """Whether an IMAP server answers on `port` with its untagged OK greeting."""
    try:
        with socket.create_connection((host, port), timeout=1.0) as conn:
            return conn.recv(64).startswith(b"* OK")
    except OSError:
        return False
