"""What the poller needs from a mailbox, so the IMAP server can be swapped for a fake in tests.

`ImapSource` (ingest/imap_source.py) is the real one; tests/fakes/mailbox.py keeps mail in memory
and injects faults deterministically, so the poller's ordering, salvage, pending moves and
UIDVALIDITY handling are tested in milliseconds. The protocol is kept to exactly the calls the
poller makes: anything wider would be one more thing a fake can get subtly wrong.

    open_source(settings) → connect → ensure_folders → select (UIDVALIDITY)
    → uids_above → sizes → fetch_headers (oversize only) / fetch in batches → move → close

Errors follow core/errors.py: a dropped connection is `MailboxConnectionError` (transient), any
other refusal by the server is `MailboxError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from core.config import MailboxSettings


@dataclass(frozen=True, slots=True)
class FolderState:
    """What SELECT told us about the watched folder."""

    uidvalidity: int
    exists: int


class MailboxSource(Protocol):
    """One connection to one mailbox's watched folder and the two folders mail moves to."""

    def connect(self) -> None:
        """Connect and authenticate; on failure nothing is left open."""

    def close(self) -> None:
        """Let go of the connection; a connection that is already gone is fine."""

    def ensure_folders(self) -> None:
        """Check the watched, processed and failed folders; create the last two if allowed."""

    def select(self) -> FolderState:
        """Select the watched folder read-write; its UIDVALIDITY keys every UID we keep."""

    def uids_above(self, last_uid: int) -> list[int]:
        """UIDs in the selected folder greater than `last_uid`, ascending."""

    def sizes(self, uids: Sequence[int]) -> dict[int, int]:
        """Size in bytes of each UID still present, known before a byte of it is fetched."""

    def fetch_headers(self, uid: int) -> bytes:
        """Only the header block of one message (empty when it is gone)."""

    def fetch(self, uids: Sequence[int]) -> Iterator[tuple[int, bytes]]:
        """Raw bytes of each UID still present, ascending, without marking anything read."""

    def move(self, uids: Iterable[int], folder: str, *, interrupted: bool = False) -> None:
        """Move UIDs out of the selected folder into `folder`; UIDs already gone are ignored.
        `interrupted`: a move an earlier cycle began but did not record, which may have been
        cut between its COPY and its EXPUNGE; it must not leave a second copy."""


# How the poller gets a source for a mailbox: `ImapSource` in production, a fake in tests.
SourceFactory = Callable[[MailboxSettings], MailboxSource]
