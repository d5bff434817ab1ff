"""The IMAP side of a mailbox: connect safely, list new mail, fetch by size budget, move it on.

Wire rules we keep (RFC 3501 unless noted):
- TLS is always verified (system CAs or the mailbox's `ca_file`); plain IMAP only to loopback,
  which the configuration already enforces.
- UIDs mean something only together with UIDVALIDITY (RFC 3501 §2.3.1.1); the poller keys on both.
- Mail is fetched with BODY.PEEK[] so that it is never marked \\Seen: people read this shared
  mailbox in Outlook too, and we must not change what they see.
- `UID SEARCH UID n:*` always returns the highest UID even when it is below n (§6.4.8), so the
  result is filtered again here. SEARCH uses only ASCII criteria: many servers fail on others.
- MOVE (RFC 6851) when offered; otherwise COPY, \\Deleted and UID EXPUNGE (RFC 4315, UIDPLUS),
  falling back to a plain EXPUNGE only when the server has neither.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self

from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import IMAPClientError, LoginError

from core.config import MailboxSettings
from core.errors import (
    MailboxAuthError,
    MailboxConnectionError,
    MailboxError,
    MailboxFolderError,
    MailboxTLSError,
)
from ingest.source import FolderState

log = logging.getLogger(__name__)

# UIDs per FETCH/MOVE command: keeps command lines well under server limits (Dovecot: 64 KiB).
UID_CHUNK = 500


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def size_batches(sizes: dict[int, int], budget: int) -> list[list[int]]:
    """Group UIDs (ascending) so that each batch's total size stays within `budget` bytes.

    Counting messages instead of bytes blows up memory on photo mail (200 messages ≈ 900 MB);
    a message larger than the budget travels alone.
    """
    batches: list[list[int]] = []
    current: list[int] = []
    total = 0
    for uid in sorted(sizes):
        size = sizes[uid]
        if current and total + size > budget:
            batches.append(current)
            current, total = [], 0
        current.append(uid)
        total += size
    if current:
        batches.append(current)
    return batches


class ImapSource:
    """One authenticated connection to one configured mailbox; the real `MailboxSource`."""

    def __init__(self, settings: MailboxSettings) -> None:
        self.settings = settings
        self._client: IMAPClient | None = None
        self.capabilities: frozenset[str] = frozenset()

    # -- connection ---------------------------------------------------------------------------

    def _ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.settings.ca_file or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def connect(self) -> None:
        """Connect, authenticate and read the capabilities once."""
        s = self.settings
        timeout = SocketTimeout(connect=s.connect_timeout_seconds, read=s.read_timeout_seconds)
        try:
            client = IMAPClient(
                s.host,
                port=s.port,
                ssl=s.security == "tls",
                ssl_context=self._ssl_context() if s.security == "tls" else None,
                timeout=timeout,
            )
            # imapclient sets imaplib's debug level to 5, which formats every response line,
            # literals included: a 7 GB mailbox fetched 10x slower. We log at our own level.
            client._imap.debug = 0
            if s.security == "starttls":
                client.starttls(self._ssl_context())
        except ssl.SSLCertVerificationError as exc:
            raise MailboxTLSError(
                f"mailbox {s.name!r}: the certificate of {s.host}:{s.port} cannot be verified "
                f"({exc.verify_message}); give the CA in ca_file or fix the server certificate"
            ) from exc
        except ssl.SSLError as exc:
            raise MailboxTLSError(
                f"mailbox {s.name!r}: TLS with {s.host}:{s.port} failed: {exc}"
            ) from exc
        except (OSError, IMAPClientError) as exc:
            raise MailboxConnectionError(
                f"mailbox {s.name!r}: cannot connect to {s.host}:{s.port}: {exc}"
            ) from exc
        try:
            client.login(s.username, s.password())
        except LoginError as exc:
            _safe_logout(client)
            raise MailboxAuthError(
                f"mailbox {s.name!r}: the server refused the login of {s.username!r}; "
                "check username and the password in "
                + (f"${s.password_env}" if s.password_env else s.password_file)
            ) from exc
        except (OSError, IMAPClientError) as exc:
            _safe_logout(client)
            raise MailboxConnectionError(f"mailbox {s.name!r}: login failed: {exc}") from exc
        self._client = client
        self.capabilities = frozenset(
            c.decode("ascii", "replace").upper() for c in self._call(client.capabilities)
        )
        log.debug("mailbox %s capabilities: %s", s.name, " ".join(sorted(self.capabilities)))

    @property
    def client(self) -> IMAPClient:
        if self._client is None:
            raise MailboxConnectionError(f"mailbox {self.settings.name!r}: not connected")
        return self._client

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run one imapclient call, mapping its exceptions onto ours at this boundary."""
        try:
            return fn(*args, **kwargs)
        except TimeoutError as exc:
            raise MailboxConnectionError(
                f"mailbox {self.settings.name!r}: the server did not answer in "
                f"{self.settings.read_timeout_seconds:g} s"
            ) from exc
        except (OSError, IMAPClient.AbortError) as exc:
            raise MailboxConnectionError(
                f"mailbox {self.settings.name!r}: connection lost: {exc}"
            ) from exc
        except IMAPClientError as exc:
            raise MailboxError(f"mailbox {self.settings.name!r}: {exc}") from exc

    def close(self) -> None:
        """Log out; a connection that is already gone is fine."""
        if self._client is not None:
            _safe_logout(self._client)
            self._client = None

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- folders ------------------------------------------------------------------------------

    def ensure_folders(self) -> None:
        """Check the three configured folders; create the missing ones or list what exists."""
        s = self.settings
        existing = {name for _flags, _sep, name in self._call(self.client.list_folders)}
        for folder in (s.folder, s.processed_folder, s.failed_folder):
            if folder in existing:
                continue
            if folder == s.folder or not s.create_missing_folders:
                raise MailboxFolderError(
                    f"mailbox {s.name!r}: folder {folder!r} does not exist; existing folders: "
                    + ", ".join(sorted(existing))
                )
            log.info("mailbox %s: creating folder %r", s.name, folder)
            self._call(self.client.create_folder, folder)

    def select(self) -> FolderState:
        """SELECT the watched folder read-write and return its UIDVALIDITY."""
        response = self._call(self.client.select_folder, self.settings.folder)
        return FolderState(
            uidvalidity=int(response[b"UIDVALIDITY"]), exists=int(response.get(b"EXISTS", 0))
        )

    # -- listing and fetching -----------------------------------------------------------------

    def uids_above(self, last_uid: int) -> list[int]:
        """UIDs in the selected folder greater than `last_uid`, ascending."""
        found = self._call(self.client.search, ["UID", f"{last_uid + 1}:*"])
        return sorted(uid for uid in found if uid > last_uid)

    def all_uids(self) -> list[int]:
        """Every UID in the selected folder."""
        return sorted(self._call(self.client.search, ["ALL"]))

    def sizes(self, uids: Sequence[int]) -> dict[int, int]:
        """RFC822.SIZE of each UID, so large messages are known before a byte is fetched."""
        result: dict[int, int] = {}
        for chunk in _chunks(uids, UID_CHUNK):
            for uid, data in self._call(self.client.fetch, chunk, ["RFC822.SIZE"]).items():
                result[uid] = int(data[b"RFC822.SIZE"])
        return result

    def fetch_headers(self, uid: int) -> bytes:
        """Only the header of one message (for recording a message too large to fetch)."""
        data = self._call(self.client.fetch, [uid], ["BODY.PEEK[HEADER]"])
        return bytes(data.get(uid, {}).get(b"BODY[HEADER]", b""))

    def fetch(self, uids: Sequence[int]) -> Iterator[tuple[int, bytes]]:
        """Raw bytes of each UID, in ascending order, without setting \\Seen."""
        response = self._call(self.client.fetch, list(uids), ["BODY.PEEK[]"])
        for uid in sorted(response):
            raw = response[uid].get(b"BODY[]")
            if raw is not None:
                yield uid, bytes(raw)

    # -- moving -------------------------------------------------------------------------------

    def move(self, uids: Iterable[int], folder: str) -> None:
        """Move UIDs out of the selected folder; UIDs that are already gone are ignored."""
        wanted = sorted(set(uids))
        for chunk in _chunks(wanted, UID_CHUNK):
            if "MOVE" in self.capabilities:
                self._call(self.client.move, chunk, folder)
                continue
            self._call(self.client.copy, chunk, folder)
            self._call(self.client.add_flags, chunk, [b"\\Deleted"], silent=True)
            if "UIDPLUS" in self.capabilities:
                self._call(self.client.uid_expunge, chunk)
            else:
                self._call(self.client.expunge)

    # -- copies of our own mail ------------------------------------------------------------------

    def append(self, folder: str, raw: bytes) -> None:
        """Add a message of ours to `folder`, marked \\Seen, creating the folder when missing
        (the copy of an answer we sent, so the mailbox shows what was answered)."""
        existing = {name for _flags, _sep, name in self._call(self.client.list_folders)}
        if folder not in existing:
            log.info("mailbox %s: creating folder %r", self.settings.name, folder)
            self._call(self.client.create_folder, folder)
        self._call(self.client.append, folder, raw, flags=[b"\\Seen"])


def _safe_logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except (OSError, IMAPClientError):
        try:
            client.shutdown()
        except OSError:
            log.debug("connection already closed")
