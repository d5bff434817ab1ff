"""Queries and small writes the ingest side needs; every function takes the session first.

None of these functions commits: the caller owns the unit of work (`with sessions.begin()`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from store.models import InboundMessage, MailboxState, Photo, PracticeDraft


@dataclass(frozen=True, slots=True)
class DuplicateHit:
    """An earlier draft that this message may repeat, and why we think so."""

    draft_id: int
    reason: str  # "message_id" | "raw_sha256" | "similar_text"


def inbound_by_sha(session: Session, raw_sha256: str) -> InboundMessage | None:
    """The inbound row whose raw bytes have this hash."""
    return session.scalars(
        select(InboundMessage).where(InboundMessage.raw_sha256 == raw_sha256)
    ).one_or_none()


def known_raw_hashes(session: Session, raw_sha256s: Iterable[str]) -> set[str]:
    """Which of these raw hashes already have an inbound row (one query per 500)."""
    wanted = list(dict.fromkeys(raw_sha256s))
    known: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.scalars(
            select(InboundMessage.raw_sha256).where(InboundMessage.raw_sha256.in_(chunk))
        )
        known.update(digest for digest in rows if digest)
    return known


def inbound_by_location(
    session: Session, mailbox: str, uidvalidity: int, uid: int
) -> InboundMessage | None:
    """The inbound row recorded for one (mailbox, UIDVALIDITY, UID)."""
    return session.scalars(
        select(InboundMessage).where(
            InboundMessage.mailbox == mailbox,
            InboundMessage.uidvalidity == uidvalidity,
            InboundMessage.uid == uid,
        )
    ).one_or_none()


def pending_moves(session: Session, mailbox: str, uidvalidity: int) -> list[InboundMessage]:
    """Rows committed but not yet moved on the server (a crash came between commit and move)."""
    return list(
        session.scalars(
            select(InboundMessage)
            .where(
                InboundMessage.mailbox == mailbox,
                InboundMessage.uidvalidity == uidvalidity,
                InboundMessage.uid.is_not(None),
                InboundMessage.server_done.is_(False),
            )
            .order_by(InboundMessage.uid)
        )
    )


def mark_server_done(session: Session, inbound_ids: Iterable[int]) -> None:
    """Record that these messages have left the watched folder."""
    ids = list(inbound_ids)
    for start in range(0, len(ids), 900):
        session.execute(
            update(InboundMessage)
            .where(InboundMessage.id.in_(ids[start : start + 900]))
            .values(server_done=True)
        )


def mailbox_state(session: Session, name: str) -> MailboxState:
    """The progress row of a mailbox, created on first use."""
    state = session.get(MailboxState, name)
    if state is None:
        state = MailboxState(name=name, last_uid=0, last_error="", consecutive_failures=0)
        session.add(state)
        session.flush()
    return state


def duplicate_hits(
    session: Session, message_id: str, raw_sha256: str, text_fingerprint: str
) -> tuple[DuplicateHit, ...]:
    """Earlier drafts that this message may repeat: same Message-ID, same bytes or same text."""
    hits: dict[int, DuplicateHit] = {}
    checks = []
    if message_id:
        checks.append(("message_id", InboundMessage.message_id == message_id))
    checks.append(("raw_sha256", InboundMessage.raw_sha256 == raw_sha256))
    for reason, condition in checks:
        for draft_id in session.scalars(
            select(PracticeDraft.id).join(PracticeDraft.inbound).where(condition)
        ):
            hits.setdefault(draft_id, DuplicateHit(draft_id=draft_id, reason=reason))
    if text_fingerprint:
        for draft_id in session.scalars(
            select(PracticeDraft.id).where(PracticeDraft.text_fingerprint == text_fingerprint)
        ):
            hits.setdefault(draft_id, DuplicateHit(draft_id=draft_id, reason="similar_text"))
    return tuple(sorted(hits.values(), key=lambda hit: hit.draft_id))


def image_seen_from_other_senders(session: Session, sha256: str, sender: str) -> bool:
    """Whether the same image bytes came before from someone else: a logo, not a photo."""
    count = session.scalar(
        select(func.count(func.distinct(InboundMessage.sender)))
        .select_from(Photo)
        .join(PracticeDraft, Photo.draft_id == PracticeDraft.id)
        .join(InboundMessage, PracticeDraft.inbound_id == InboundMessage.id)
        .where(Photo.sha256 == sha256, InboundMessage.sender != sender)
    )
    return bool(count)
