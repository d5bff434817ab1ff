"""What the operator commands report: mailbox status, the message list, what to retry, and
the counts `practices verify` checks.

Read-only queries, each taking the session first; the caller owns the session and formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.vocabulary import Outcome
from store.models import InboundMessage, MailboxState, PracticeDraft


@dataclass(frozen=True, slots=True)
class MailboxStatus:
    """One mailbox as `practices status` shows it; counts hold every outcome, zeros included."""

    mailbox: str
    configured: bool
    last_poll_at: datetime | None
    last_success_at: datetime | None
    consecutive_failures: int
    last_error: str
    counts: dict[str, int]


def mailbox_statuses(session: Session, configured: Sequence[str]) -> list[MailboxStatus]:
    """The configured mailboxes, then any other that has messages recorded (renamed, removed)."""
    recorded = session.scalars(select(InboundMessage.mailbox).distinct())
    return [
        _status(session, name, name in configured)
        for name in dict.fromkeys([*configured, *recorded])
    ]


def _status(session: Session, name: str, configured: bool) -> MailboxStatus:
    state = session.get(MailboxState, name)
    counts: dict[str, int] = {
        outcome: count
        for outcome, count in session.execute(
            select(InboundMessage.outcome, func.count())
            .where(InboundMessage.mailbox == name)
            .group_by(InboundMessage.outcome)
        )
    }
    return MailboxStatus(
        mailbox=name,
        configured=configured,
        last_poll_at=state.last_poll_at if state else None,
        last_success_at=state.last_success_at if state else None,
        consecutive_failures=state.consecutive_failures if state else 0,
        last_error=state.last_error if state else "",
        counts={outcome.value: int(counts.get(outcome.value, 0)) for outcome in Outcome},
    )


def inbound_messages(
    session: Session, *, outcome: str | None = None, mailbox: str | None = None
) -> list[InboundMessage]:
    """Every inbound message in the order recorded, or those with `outcome`, of `mailbox`."""
    query = select(InboundMessage).order_by(InboundMessage.id)
    if outcome:
        query = query.where(InboundMessage.outcome == outcome)
    if mailbox is not None:
        query = query.where(InboundMessage.mailbox == mailbox)
    return list(session.scalars(query))


def doubled_drafts(session: Session) -> list[tuple[int, int]]:
    """(inbound id, number of drafts) for every inbound message with more than one draft."""
    query = (
        select(PracticeDraft.inbound_id, func.count())
        .group_by(PracticeDraft.inbound_id)
        .having(func.count() > 1)
    )
    return [(inbound_id, count) for inbound_id, count in session.execute(query)]


def retryable_ids(session: Session, inbound_id: int | None = None) -> list[int]:
    """Failed messages whose raw bytes are kept (all, or just `inbound_id` if it is one)."""
    query = select(InboundMessage.id).where(
        InboundMessage.outcome == Outcome.FAILED.value, InboundMessage.raw_path != ""
    )
    if inbound_id is not None:
        query = query.where(InboundMessage.id == inbound_id)
    return list(session.scalars(query.order_by(InboundMessage.id)))


def mailbox_states(session: Session, names: Sequence[str]) -> list[MailboxState]:
    """The progress and health rows of the mailboxes `names` that have one."""
    return list(session.scalars(select(MailboxState).where(MailboxState.name.in_(names))))


def failed_waiting(session: Session) -> int:
    """Failed messages whose raw bytes are kept: what `practices retry --all` would run."""
    query = select(func.count()).where(
        InboundMessage.outcome == Outcome.FAILED.value, InboundMessage.raw_path != ""
    )
    return int(session.scalar(query) or 0)
