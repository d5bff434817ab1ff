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
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import TracebackType
from typing import Any, Self

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from core.config import LimitSettings, MailboxSettings
from core.errors import (
    MailboxConnectionError,
    MailboxError,
    MailboxLiteralTooLarge,
    MailboxProtocolError,
)
from ingest.imap_auth import capability_names, drop, log_in, open_client, safe_logout
from ingest.imap_copies import already_copied
from ingest.imap_folders import Namespace, ServerFolders
from ingest.imap_guard import (
    NUMBER_LIMIT,
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
from ingest.oauth_tokens import AccessToken
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
    """One authenticated connection to one configured mailbox; the real `MailboxSource`.

    Folder names are taken in the TOML's form ("Käsitellyt/2026") and turned into the server's
    (`ingest.imap_folders`) on the way out. With `auth = "oauth2"` a connection whose token
    nears its expiry is replaced before the next command, the selected folder selected again
    (`_renew_if_due`), since Exchange Online ends a session when its token lapses.
    """

    def __init__(
        self, settings: MailboxSettings, max_message_bytes: int = LimitSettings.max_message_bytes
    ) -> None:
        self.settings = settings
        self.max_message_bytes = max_message_bytes
        self._client: IMAPClient | None = None
        self._broken = False
        self._announced: dict[int, int] = {}
        self.guard = ResponseGuard(settings.read_timeout_seconds, self.limits("CONNECT"))
        self.login_capabilities: frozenset[str] = frozenset()
        self.capabilities: frozenset[str] = frozenset()
        self.token: AccessToken | None = None
        self.login_method = ""
        self.server_folders = ServerFolders(self)
        self._selected: tuple[str, bool, int] | None = None
        self.reconnects = 0

    # -- connection ---------------------------------------------------------------------------

    def connect(self) -> None:
        """Connect, authenticate and read the capabilities once (before and after login)."""
        self._broken = False
        s = self.settings
        # A password that cannot be read fails before any connection is made.
        password = s.password() if s.auth == "password" else ""
        client = open_client(self)
        try:
            before = self._guarded(self.limits("CAPABILITY"), client.capabilities)
        except MailboxError:
            drop(client)
            raise
        self.login_capabilities = capability_names(before)
        self.token = log_in(self, client, self.login_capabilities, password)
        self._client = client
        # What the server offers changes with the login (RFC 3501 §6.1.1): ask again.
        client._cached_capabilities = None
        self.capabilities = capability_names(
            self.call(self.limits("CAPABILITY"), client.capabilities)
        )
        self.server_folders = ServerFolders(self)
        log.debug(
            "mailbox %s capabilities: %s", self.settings.name, " ".join(sorted(self.capabilities))
        )

    def _renew_if_due(self) -> None:
        """Reconnect with a new token when the login's token nears its expiry, selecting the
        folder that was selected; a changed UIDVALIDITY ends the cycle (the next starts over)."""
        if self.token is None or not self.token.refresh_due(time.time()):
            return
        selected = self._selected
        log.info("mailbox %s: OAuth 2.0 token nears expiry; reconnecting", self.settings.name)
        self.close()
        self.connect()
        self.reconnects += 1
        if selected is not None:
            folder, readonly, uidvalidity = selected
            state = self._select_server_name(folder, readonly)
            if state.uidvalidity != uidvalidity:
                raise MailboxConnectionError(
                    f"mailbox {self.settings.name!r}: UIDVALIDITY of {folder!r} changed while "
                    "reconnecting; the cycle is retried"
                )

    @property
    def client(self) -> IMAPClient:
        if self._client is None:
            raise MailboxConnectionError(f"mailbox {self.settings.name!r}: not connected")
        return self._client

    def limits(
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

    def protocol_error(self, exc: ServerMisbehaved) -> MailboxError:
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

    def call(self, limits: ResponseLimits, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Run one imapclient call under `limits`, mapping its exceptions onto ours."""
        if self._broken:
            raise MailboxConnectionError(f"mailbox {self.settings.name!r}: connection dropped")
        return self._guarded(limits, fn, *args, **kwargs)

    def _guarded(self, limits: ResponseLimits, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """`_call` on any connection, ours or one still logging in."""
        self.guard.begin(limits)
        try:
            return fn(*args, **kwargs)
        except ServerMisbehaved as exc:
            raise self.protocol_error(exc) from exc
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
                drop(self._client)
            else:
                self.guard.begin(self.limits("LOGOUT", seconds=LOGOUT_SECONDS))
                safe_logout(self._client)
            self._client = None
        self._selected = None

    def drop_after_refusal(self, client: IMAPClient) -> None:
        """Log out of a connection whose login was refused."""
        self.guard.begin(self.limits("LOGOUT", seconds=LOGOUT_SECONDS))
        safe_logout(client)

    def __enter__(self) -> Self:
        self.connect()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- folders ------------------------------------------------------------------------------

    @property
    def namespace(self) -> Namespace:
        """The personal namespace and delimiter of this connection (read once)."""
        return self.server_folders.namespace

    def server_name(self, configured: str) -> str:
        """A folder name from the TOML in this server's form (`ingest.imap_folders`)."""
        return self.server_folders.server_name(configured)

    def ensure_folders(self) -> None:
        """Check the three configured folders; create the missing ones or list what exists."""
        self.server_folders.ensure()

    def select(self, folder: str | None = None, *, readonly: bool = False) -> FolderState:
        """SELECT the watched folder (or `folder`, TOML form) and return its UIDVALIDITY;
        `readonly` EXAMINEs it, as `practices verify` does every folder."""
        self._renew_if_due()
        return self._select_server_name(self.server_name(folder or self.settings.folder), readonly)

    def _select_server_name(self, folder: str, readonly: bool) -> FolderState:
        response = self.call(
            self.limits("SELECT"), self.client.select_folder, folder, readonly=readonly
        )
        if b"UIDVALIDITY" not in response:
            raise self.violation("SELECT gave no UIDVALIDITY (§6.3.1 requires it)")
        state = FolderState(
            uidvalidity=self._checked(response[b"UIDVALIDITY"], "UIDVALIDITY"),
            exists=self._checked(response.get(b"EXISTS", 0), "EXISTS", low=0),
        )
        self._selected = (folder, readonly, state.uidvalidity)
        return state

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
        self._renew_if_due()
        found = self.call(self.limits("SEARCH"), self.client.search, ["UID", f"{last_uid + 1}:*"])
        return sorted(uid for uid in self._uids(found, "SEARCH") if uid > last_uid)

    def all_uids(self) -> list[int]:
        """Every UID in the selected folder."""
        return sorted(
            self._uids(self.call(self.limits("SEARCH"), self.client.search, ["ALL"]), "SEARCH")
        )

    def sizes(self, uids: Sequence[int]) -> dict[int, int]:
        """RFC822.SIZE of each UID, so large messages are known before a byte is fetched."""
        self._renew_if_due()
        result: dict[int, int] = {}
        for chunk in _chunks(uids, UID_CHUNK):
            limits = self.limits("FETCH RFC822.SIZE", items=len(chunk))
            response = self.call(limits, self.client.fetch, chunk, ["RFC822.SIZE"])
            for uid in self._uids(response, "FETCH"):
                if uid in chunk:
                    size = response[uid].get(b"RFC822.SIZE")
                    result[uid] = self._checked(size, f"RFC822.SIZE of UID {uid}", low=0)
        self._announced.update(result)
        return result

    def fetch_headers(self, uid: int) -> bytes:
        """Only the header of one message (for recording a message too large to fetch)."""
        self._renew_if_due()
        limits = self.limits("FETCH BODY[HEADER]", items=1, literal_limit=lambda _l: HEADER_BYTES)
        data = self.call(limits, self.client.fetch, [uid], [f"BODY.PEEK[HEADER]<0.{HEADER_BYTES}>"])
        fields = data.get(uid, {})
        return bytes(fields.get(b"BODY[HEADER]<0>", fields.get(b"BODY[HEADER]", b"")))

    def fetch(self, uids: Sequence[int]) -> Iterator[tuple[int, bytes]]:
        """Raw bytes of each UID, in ascending order, without setting \\Seen."""
        self._renew_if_due()
        wanted = list(uids)
        caps = {
            uid: literal_cap(self._announced.get(uid), self.max_message_bytes) for uid in wanted
        }
        largest = max(caps.values(), default=self.max_message_bytes)

        def body_limit(line: bytes) -> int:
            return caps.get(uid_in(line) or 0, largest)

        limits = self.limits("FETCH BODY[]", items=len(wanted), literal_limit=body_limit)
        response = self.call(limits, self.client.fetch, wanted, ["BODY.PEEK[]"])
        for uid in sorted(u for u in self._uids(response, "FETCH") if u in caps):
            raw = response[uid].get(b"BODY[]")
            if raw is not None:
                yield uid, bytes(raw)

    # -- moving -------------------------------------------------------------------------------

    def move(self, uids: Iterable[int], folder: str, *, interrupted: bool = False) -> None:
        """Move UIDs out of the selected folder into `folder` (TOML form); UIDs that are
        already gone are ignored. `interrupted` moves may have been cut after their COPY:
        those already copied are only deleted (`ingest.imap_copies`)."""
        self._renew_if_due()
        target = self.server_name(folder)
        wanted = sorted(set(uids))
        for chunk in _chunks(wanted, UID_CHUNK):
            limits = self.limits("MOVE", items=len(chunk))
            if "MOVE" in self.capabilities:
                self.call(limits, self.client.move, chunk, target)
                continue
            copied = already_copied(self, chunk, folder) if interrupted else set()
            to_copy = [uid for uid in chunk if uid not in copied]
            if to_copy:
                self.call(limits, self.client.copy, to_copy, target)
            self.call(limits, self.client.add_flags, chunk, [b"\\Deleted"], silent=True)
            if "UIDPLUS" in self.capabilities:
                self.call(limits, self.client.uid_expunge, chunk)
            else:
                self.call(limits, self.client.expunge)

    # -- copies of our own mail ------------------------------------------------------------------

    def append(self, folder: str, raw: bytes) -> None:
        """Add a message of ours to `folder`, marked \\Seen, creating the folder when missing
        (the copy of an answer we sent, so the mailbox shows what was answered)."""
        self._renew_if_due()
        folder = self.server_name(folder)
        if not self.server_folders.listing().has(folder):
            log.info("mailbox %s: creating folder %r", self.settings.name, folder)
            self.call(self.limits("CREATE"), self.client.create_folder, folder)
        self.call(self.limits("APPEND"), self.client.append, folder, raw, flags=[b"\\Seen"])
