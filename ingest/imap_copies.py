"""Which interrupted moves already left their copy in the destination folder.

Where a server has no MOVE (Courier), a message is moved by COPY, then \\Deleted and EXPUNGE.
A process killed (or a connection dropped) after the COPY and before the poller records the move
leaves the message in both folders; the next cycle finishes the move, and a second COPY would
put the submission twice in the folder editors read. So before finishing such a move the
destination is searched for the message (by its Message-ID, else by a size window) and the
candidates' bytes are compared with it: an identical copy means only the delete is left to do.

Only interrupted moves pay for this (one FETCH of each source message, a SEARCH and a FETCH of
the few candidates in the destination). SEARCH criteria are ASCII only, since many servers fail
on others. When nothing matches, or too much does, the message is copied as before: the check
can only avoid a second copy, never lose the first. (Two deliveries of identical bytes, already
one draft, may then leave one copy in the destination instead of two.)
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from email.parser import HeaderParser
from typing import TYPE_CHECKING

from core.errors import MailboxError
from ingest.envelope import header_section

if TYPE_CHECKING:
    from ingest.imap_source import ImapSource

log = logging.getLogger(__name__)

# Candidates compared byte for byte at the most; more means the criteria said too little.
_MAX_CANDIDATES = 20
_MAX_MESSAGE_ID = 500


def already_copied(source: ImapSource, uids: Sequence[int], folder: str) -> set[int]:
    """The UIDs of the selected (watched) folder whose identical copy is already in `folder`
    (TOML form). The watched folder is selected again before returning."""
    sizes = source.sizes(uids)
    wanted: dict[int, tuple[list[str], bytes]] = {}
    for uid in uids:  # one message at a time: what a cut cycle left may be several batches
        for fetched, raw in source.fetch([uid]):
            wanted[fetched] = (_criteria(raw, sizes[fetched]), _digest(raw))
    if not wanted:
        return set()
    watched = source.select()
    source.select(folder, readonly=True)
    try:
        found = {
            uid for uid, (criteria, digest) in wanted.items() if _has(source, criteria, digest)
        }
    finally:
        again = source.select()
    if again.uidvalidity != watched.uidvalidity:
        raise MailboxError(
            f"mailbox {source.settings.name!r}: UIDVALIDITY of {source.settings.folder!r} "
            "changed while finishing interrupted moves; the next cycle re-matches by content"
        )
    if found:
        log.info(
            "mailbox %s: %d interrupted moves had already copied their message to %r",
            source.settings.name,
            len(found),
            folder,
        )
    return found


def _digest(raw: bytes) -> bytes:
    return hashlib.sha256(raw).digest()


def _criteria(raw: bytes, size: int) -> list[str]:
    """SEARCH criteria that find the copy among few others: its Message-ID when it has a plain
    ASCII one, else a size window (a server may count LF line ends where it sends CRLF, as
    Courier does, so the size it searches by can be smaller than the one it announces)."""
    header = header_section(raw).decode("ascii", "replace")
    message_id = HeaderParser().parsestr(header).get("Message-ID", "")
    message_id = " ".join(str(message_id).split())
    if message_id.isascii() and 0 < len(message_id) <= _MAX_MESSAGE_ID and '"' not in message_id:
        return ["HEADER", "Message-ID", message_id]
    return ["LARGER", str(size // 2), "SMALLER", str(size + 1)]


def _has(source: ImapSource, criteria: list[str], digest: bytes) -> bool:
    """Whether the selected folder holds a message of exactly these bytes."""
    candidates = source.call(source.limits("SEARCH"), source.client.search, criteria)
    if not candidates or len(candidates) > _MAX_CANDIDATES:
        return False  # none, or too many to compare: copying again is the safe side
    limits = source.limits(
        "FETCH BODY[]",
        items=len(candidates),
        literal_limit=lambda _line: source.max_message_bytes,
    )
    response = source.call(limits, source.client.fetch, list(candidates), ["BODY.PEEK[]"])
    return any(_digest(bytes(fields.get(b"BODY[]", b""))) == digest for fields in response.values())
