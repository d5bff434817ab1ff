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
- Every command's answer is bounded (`imap_guard`): a deadline for the whole response
  (`command_timeout_seconds`), a cap on response lines, and a cap on each literal: a message body
  at most twice its announced RFC822.SIZE plus 1 MiB, and never over `max_message_bytes`.
- UIDVALIDITY and UIDs are nz-numbers below 2^32 (§9), sizes numbers below 2^32: a server that
  sends anything else fails the cycle with `MailboxProtocolError`, before a value is trusted.
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self

from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import IMAPClientError, LoginError

from core.config import LimitSettings, MailboxSettings
from core.errors import (
    MailboxAuthError,
    MailboxConnectionError,
    MailboxError,
    MailboxFolderError,
    MailboxLiteralTooLarge,
    MailboxProtocolError,
    MailboxTLSError,
)
from ingest.imap_guard import (
    NUMBER_LIMIT,
    GuardedIMAPClient,
    LiteralOverLimit,
    ResponseGuard,
    ResponseLimits,
    ResponseTooSlow,
    ServerMisbehaved,
    answer_limits,
    literal_cap,
    small_literal,
    uid_in,
)
from ingest.source import FolderState

log = logging.getLogger(__name__)

# UIDs per FETCH/MOVE command: keeps command lines well under server limits (Dovecot: 64 KiB).
UID_CHUNK = 500
# Bytes of a header fetched for a message too large to fetch whole.
HEADER_BYTES = 256 * 1024
LOGOUT_SECONDS = 10.0


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

    def __init__(
        self, settings: MailboxSettings, max_message_bytes: int = LimitSettings.max_message_bytes
    ) -> None:
        self.settings = settings
        self.max_message_bytes = max_message_bytes
        self._client: IMAPClient | None = None
        self._broken = False
        self._announced: dict[int, int] = {}
        self._guard = ResponseGuard(settings.read_timeout_seconds, self._limits("CONNECT"))
        self.capabilities: frozenset[str] = frozenset()

    # -- connection ---------------------------------------------------------------------------

    def _ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.settings.ca_file or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context

    def connect(self) -> None:
        """Connect, authenticate and read the capabilities once."""
        s = self.settings
        password = s.password()  # a secret that cannot be read fails before any connection
        timeout = SocketTimeout(connect=s.connect_timeout_seconds, read=s.read_timeout_seconds)
        self._guard.begin(self._limits("the greeting"))
        try:
            client = GuardedIMAPClient(
                s.host,
                guard=self._guard,
                port=s.port,
                ssl=s.security == "tls",
                ssl_context=self._ssl_context() if s.security == "tls" else None,
                timeout=timeout,
            )
            # imapclient sets imaplib's debug level to 5, which formats every response line,
            # literals included: a 7 GB mailbox fetched 10x slower. We log at our own level.
            client._imap.debug = 0
            if s.security == "starttls":
                self._guard.begin(self._limits("STARTTLS"))
                client.starttls(self._ssl_context())
        except ServerMisbehaved as exc:
            raise self._protocol_error(exc) from exc
        except ssl.SSLCertVerificationError as exc:
            raise MailboxTLSError(
                f"mailbox {s.name!r}: the certificate of {s.host}:{s.port} cannot be verified "
                f"({exc.verify_message}); give the CA in ca_file or fix the server certificate"
            ) from exc
        except ssl.SSLError as exc:
            raise MailboxTLSError(_tls_failure(s, exc)) from exc
        except (OSError, IMAPClientError) as exc:
            raise MailboxConnectionError(
                f"mailbox {s.name!r}: cannot connect to {s.host}:{s.port}: {exc}"
            ) from exc
        try:
            self._guard.begin(self._limits("LOGIN"))
            if password.isascii():
                client.login(s.username, password)
            else:  # LOGIN sends ASCII only; AUTHENTICATE PLAIN sends UTF-8 (RFC 4616)
                client.plain_login(s.username, password)
        except ServerMisbehaved as exc:
            client.shutdown()
            raise self._protocol_error(exc) from exc
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
            c.decode("ascii", "replace").upper()
            for c in self._call(self._limits("CAPABILITY"), client.capabilities)
        )
        log.debug("mailbox %s capabilities: %s", s.name, " ".join(sorted(self.capabilities)))

    @property
    def client(self) -> IMAPClient:
        if self._client is None:
            raise MailboxConnectionError(f"mailbox {self.settings.name!r}: not connected")
        return self._client

    def _limits(
        self,
        command: str,
        *,
        items: int = 0,
        literal_limit: Callable[[bytes], int] = small_literal,
        seconds: float | None = None,
    ) -> ResponseLimits:
        """The bounds on the answer to one command about `items` messages."""
        timeout = self.settings.command_timeout_seconds if seconds is None else seconds
        return answer_limits(command, timeout, items=items, literal_limit=literal_limit)

    def _protocol_error(self, exc: ServerMisbehaved) -> MailboxError:
        """Our error for a server over a bound; the connection is then useless."""
        self._broken = True
        s = self.settings
        if isinstance(exc, ResponseTooSlow):
            return MailboxConnectionError(
                f"mailbox {s.name!r}: the server {exc} (mailbox.command_timeout_seconds); "
                "the cycle is retried later"
            )
        message = (
            f"mailbox {s.name!r}: the server at {s.host}:{s.port} {exc}; the cycle is retried "
            "later, and if this persists its administrator must look at it"
        )
        if isinstance(exc, LiteralOverLimit):
            return MailboxLiteralTooLarge(message, uid=exc.uid, size=exc.size, limit=exc.limit)
        return MailboxProtocolError(message)

    def violation(self, problem: str) -> MailboxProtocolError:
        """The error for an answer that breaks RFC 3501, worded for the operator."""
        self._broken = True
        s = self.settings
        return MailboxProtocolError(
            f"mailbox {s.name!r}: the server at {s.host}:{s.port} broke IMAP (RFC 3501): "
            f"{problem}; the cycle is retried later, and if this persists its administrator "
            "must look at it"
        )

    def _call(self, limits: ResponseLimits, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run one imapclient call under `limits`, mapping its exceptions onto ours."""
        if self._broken:
            raise MailboxConnectionError(f"mailbox {self.settings.name!r}: connection dropped")
        self._guard.begin(limits)
        try:
            return fn(*args, **kwargs)
        except ServerMisbehaved as exc:
            raise self._protocol_error(exc) from exc
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
        except (ValueError, KeyError, IndexError) as exc:
            # imapclient parses what the server sent; a value it cannot parse is the server's.
            raise self.violation(f"{limits.command} answer not understood ({exc!r})") from exc

    def close(self) -> None:
        """Log out; a connection that is already gone, or broken by the server, is dropped."""
        if self._client is not None:
            if self._broken:
                _drop(self._client)
            else:
                self._guard.begin(self._limits("LOGOUT", seconds=LOGOUT_SECONDS))
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

    def existing_folders(self) -> set[str]:
        """The names of every folder on the server (decoded from modified UTF-7)."""
        listing = self._call(self._limits("LIST"), self.client.list_folders)
        return {name for _flags, _sep, name in listing}

    def ensure_folders(self) -> None:
        """Check the three configured folders; create the missing ones or list what exists."""
        s = self.settings
        existing = self.existing_folders()
        for folder in (s.folder, s.processed_folder, s.failed_folder):
            if folder in existing:
                continue
            if folder == s.folder or not s.create_missing_folders:
                raise MailboxFolderError(
                    f"mailbox {s.name!r}: folder {folder!r} does not exist; existing folders: "
                    + ", ".join(sorted(existing))
                )
            log.warning(
                "mailbox %s: folder %r does not exist; creating it (create_missing_folders)",
                s.name,
                folder,
                extra={"mailbox": s.name},
            )
            self._call(self._limits("CREATE"), self.client.create_folder, folder)

    def select(self, folder: str | None = None, *, readonly: bool = False) -> FolderState:
        """SELECT the watched folder (or `folder`) and return its UIDVALIDITY; `readonly`
        EXAMINEs it, as `practices verify` does every folder."""
        response = self._call(
            self._limits("SELECT"),
            self.client.select_folder,
            folder or self.settings.folder,
            readonly=readonly,
        )
        if b"UIDVALIDITY" not in response:
            raise self.violation("SELECT gave no UIDVALIDITY (§6.3.1 requires it)")
        return FolderState(
            uidvalidity=self._checked(response[b"UIDVALIDITY"], "UIDVALIDITY"),
            exists=self._checked(response.get(b"EXISTS", 0), "EXISTS", low=0),
        )

    def _checked(self, value: object, what: str, *, low: int = 1) -> int:
        """`value` when it is a whole number from `low` to 2^32 - 1, as RFC 3501 numbers are."""
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value < NUMBER_LIMIT:
            shown = repr(value)[:40]
            raise self.violation(f"{what} {shown} is not a number from {low} to {NUMBER_LIMIT - 1}")
        return value

    def _uids(self, values: Iterable[object], command: str) -> list[int]:
        return [self._checked(uid, f"UID from {command}") for uid in values]

    # -- listing and fetching -----------------------------------------------------------------

    def uids_above(self, last_uid: int) -> list[int]:
        """UIDs in the selected folder greater than `last_uid`, ascending."""
        found = self._call(self._limits("SEARCH"), self.client.search, ["UID", f"{last_uid + 1}:*"])
        return sorted(uid for uid in self._uids(found, "SEARCH") if uid > last_uid)

    def all_uids(self) -> list[int]:
        """Every UID in the selected folder."""
        return sorted(
            self._uids(self._call(self._limits("SEARCH"), self.client.search, ["ALL"]), "SEARCH")
        )

    def sizes(self, uids: Sequence[int]) -> dict[int, int]:
        """RFC822.SIZE of each UID, so large messages are known before a byte is fetched."""
        result: dict[int, int] = {}
        for chunk in _chunks(uids, UID_CHUNK):
            limits = self._limits("FETCH RFC822.SIZE", items=len(chunk))
            response = self._call(limits, self.client.fetch, chunk, ["RFC822.SIZE"])
            for uid in self._uids(response, "FETCH"):
                if uid in chunk:
                    size = response[uid].get(b"RFC822.SIZE")
                    result[uid] = self._checked(size, f"RFC822.SIZE of UID {uid}", low=0)
        self._announced.update(result)
        return result

    def fetch_headers(self, uid: int) -> bytes:
        """Only the header of one message (for recording a message too large to fetch)."""
        limits = self._limits("FETCH BODY[HEADER]", items=1, literal_limit=lambda _l: HEADER_BYTES)
        data = self._call(
            limits, self.client.fetch, [uid], [f"BODY.PEEK[HEADER]<0.{HEADER_BYTES}>"]
        )
        fields = data.get(uid, {})
        return bytes(fields.get(b"BODY[HEADER]<0>", fields.get(b"BODY[HEADER]", b"")))

    def fetch(self, uids: Sequence[int]) -> Iterator[tuple[int, bytes]]:
        """Raw bytes of each UID, in ascending order, without setting \\Seen."""
        wanted = list(uids)
        caps = {
            uid: literal_cap(self._announced.get(uid), self.max_message_bytes) for uid in wanted
        }
        largest = max(caps.values(), default=self.max_message_bytes)

        def body_limit(line: bytes) -> int:
            return caps.get(uid_in(line) or 0, largest)

        limits = self._limits("FETCH BODY[]", items=len(wanted), literal_limit=body_limit)
        response = self._call(limits, self.client.fetch, wanted, ["BODY.PEEK[]"])
        for uid in sorted(u for u in self._uids(response, "FETCH") if u in caps):
            raw = response[uid].get(b"BODY[]")
            if raw is not None:
                yield uid, bytes(raw)

    # -- moving -------------------------------------------------------------------------------

    def move(self, uids: Iterable[int], folder: str) -> None:
        """Move UIDs out of the selected folder; UIDs that are already gone are ignored."""
        wanted = sorted(set(uids))
        for chunk in _chunks(wanted, UID_CHUNK):
            limits = self._limits("MOVE", items=len(chunk))
            if "MOVE" in self.capabilities:
                self._call(limits, self.client.move, chunk, folder)
                continue
            self._call(limits, self.client.copy, chunk, folder)
            self._call(limits, self.client.add_flags, chunk, [b"\\Deleted"], silent=True)
            if "UIDPLUS" in self.capabilities:
                self._call(limits, self.client.uid_expunge, chunk)
            else:
                self._call(limits, self.client.expunge)

    # -- copies of our own mail ------------------------------------------------------------------

    def append(self, folder: str, raw: bytes) -> None:
        """Add a message of ours to `folder`, marked \\Seen, creating the folder when missing
        (the copy of an answer we sent, so the mailbox shows what was answered)."""
        if folder not in self.existing_folders():
            log.info("mailbox %s: creating folder %r", self.settings.name, folder)
            self._call(self._limits("CREATE"), self.client.create_folder, folder)
        self._call(self._limits("APPEND"), self.client.append, folder, raw, flags=[b"\\Seen"])


def _drop(client: IMAPClient) -> None:
    """Close a connection mid-response without another word to the server."""
    try:
        client.shutdown()
    except OSError:
        log.debug("connection already closed")


# What OpenSSL says when the other side answers a TLS hello in plain text (an IMAP greeting).
_PLAIN_TEXT_REPLIES = ("WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "RECORD_LAYER_FAILURE")


def _tls_failure(s: MailboxSettings, exc: ssl.SSLError) -> str:
    """The TLS error in words, with what to change when the port speaks plain IMAP."""
    if s.security == "tls" and str(exc.reason).upper().replace(" ", "_") in _PLAIN_TEXT_REPLIES:
        return (
            f"mailbox {s.name!r}: the server {s.host} does not speak TLS on port {s.port} (it "
            f'answered in plain text): use security = "starttls" for port {s.port}, or port '
            '993 with security = "tls"'
        )
    return f"mailbox {s.name!r}: TLS with {s.host}:{s.port} failed: {exc}"


def _safe_logout(client: IMAPClient) -> None:
    try:
        client.logout()
    except (OSError, IMAPClientError, ServerMisbehaved):
        _drop(client)
