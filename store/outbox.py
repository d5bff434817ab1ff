"""The outbox: mail to send as rows, written with the event that causes it, sent after commit.

Every function takes the session first and never commits. A mail is queued (`enqueue`) in the
transaction of its event, so a rolled-back event sends nothing and a committed one cannot lose
its mail. The sender then works one mail at a time, each step its own short transaction:

    claim_next (queued → sending, attempts + 1) → commit → SMTP → mark_sent → commit
                                                               ↘ mark_retry / mark_failed

A crash between the SMTP server's "250" and `mark_sent` leaves the row "sending"; it is claimed
again once its claim has expired or its claimer is known dead, and sent again with the same
Message-ID and the same bytes (`rendered`): at most one mail per crash is repeated, and the
repeat is recognisable. Nothing is ever deleted here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.answering import MESSAGE_ID_PREFIX, reference_number
from core.catalogue import language
from core.vocabulary import MailKind, MailStatus
from store.models import OutboxMail, PracticeDraft, utcnow


def new_message_id(kind: MailKind, domain: str) -> str:
    """A Message-ID of ours (without angle brackets): recognisable by its prefix, unique."""
    return f"{MESSAGE_ID_PREFIX}{kind.value}.{uuid.uuid4().hex}@{domain}"


def enqueue(
    session: Session,
    *,
    kind: MailKind,
    recipients: Sequence[str],
    domain: str,
    context: Mapping[str, Any],
    language: str = "fi",
    draft_id: int | None = None,
    mailbox: str = "",
    dedup_key: str | None = None,
    now: datetime | None = None,
) -> OutboxMail | None:
    """Queue one mail; None when a mail with the same `dedup_key` was queued before.

    The row gets its Message-ID now, so every attempt to send it carries the same one.
    """
    if dedup_key is not None and by_dedup_key(session, dedup_key) is not None:
        return None
    now = now or utcnow()
    row = OutboxMail(
        kind=kind.value,
        status=MailStatus.QUEUED.value,
        dedup_key=dedup_key,
        message_id=new_message_id(kind, domain),
        recipients=list(recipients),
        recipient_key=recipients[0].lower() if recipients else "",
        language=language,
        draft_id=draft_id,
        mailbox=mailbox,
        context=dict(context),
        rendered="",
        attempts=0,
        next_attempt_at=now,
        claimed_by="",
        last_error="",
        copied=False,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # Another process queued the same event between our look-up and our insert.
        if dedup_key is not None and by_dedup_key(session, dedup_key) is not None:
            return None
        raise
    return row


def draft_key(kind: MailKind, draft_id: int) -> str:
    """The dedup key of a mail of `kind` about one draft: one such mail per draft, ever."""
    return f"{kind.value}:draft:{draft_id}"


def enqueue_to_submitter(
    session: Session,
    *,
    kind: MailKind,
    draft: PracticeDraft,
    recipient: str,
    domain: str,
    mailbox: str,
    context: Mapping[str, Any],
) -> OutboxMail | None:
    """Queue the one mail of `kind` to `draft`'s submitter (None if it was queued before), in
    the draft's language (Finnish for any other), with the draft's reference and title first
    in its context; the acknowledgement and the "published" notice are such mails."""
    return enqueue(
        session,
        kind=kind,
        recipients=[recipient],
        domain=domain,
        language=language(draft.language),
        draft_id=draft.id,
        mailbox=mailbox,
        dedup_key=draft_key(kind, draft.id),
        context={
            "reference": reference_number(draft.id, (draft.created_at or utcnow()).year),
            "title": draft.title,
            **context,
        },
    )


def by_dedup_key(session: Session, dedup_key: str) -> OutboxMail | None:
    """The mail queued for one event, if any."""
    return session.scalars(
        select(OutboxMail).where(OutboxMail.dedup_key == dedup_key)
    ).one_or_none()


def queued_since(session: Session, kind: MailKind, recipient: str, since: datetime) -> int:
    """How many mails of `kind` were queued for `recipient` since `since` (the daily limit)."""
    count = session.scalar(
        select(func.count())
        .select_from(OutboxMail)
        .where(
            OutboxMail.kind == kind.value,
            OutboxMail.recipient_key == recipient.lower(),
            OutboxMail.created_at >= since,
        )
    )
    return int(count or 0)


def in_flight_claimers(session: Session) -> list[str]:
    """Who holds mail in "sending" now, so a sender can tell which of them are dead."""
    rows = session.scalars(
        select(OutboxMail.claimed_by)
        .where(OutboxMail.status == MailStatus.SENDING.value)
        .distinct()
    )
    return [claimer for claimer in rows if claimer]


def claim_next(
    session: Session,
    claimer: str,
    lease: timedelta,
    *,
    dead_claimers: Iterable[str] = (),
    now: datetime | None = None,
) -> OutboxMail | None:
    """Take the next mail due and mark it "sending" for `claimer` until now + `lease`.

    Due: a queued mail whose time has come, or a "sending" one left behind by a crash (its
    claim expired, or its claimer is in `dead_claimers`); those come first, so a repeat after
    a crash follows the crash at once.
    """
    now = now or utcnow()
    dead = list(dead_claimers)
    sending = OutboxMail.status == MailStatus.SENDING.value
    abandoned = and_(sending, or_(OutboxMail.claimed_until < now, OutboxMail.claimed_by.in_(dead)))
    due = and_(OutboxMail.status == MailStatus.QUEUED.value, OutboxMail.next_attempt_at <= now)
    row = session.scalars(
        select(OutboxMail)
        .where(or_(abandoned, due))
        .order_by(sending.desc(), OutboxMail.next_attempt_at, OutboxMail.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).one_or_none()
    if row is None:
        return None
    row.status = MailStatus.SENDING.value
    row.claimed_by = claimer
    row.claimed_until = now + lease
    row.attempts += 1
    session.flush()
    return row


def mark_sent(session: Session, row: OutboxMail, now: datetime | None = None) -> None:
    """The server accepted the mail."""
    row.status = MailStatus.SENT.value
    row.sent_at = now or utcnow()
    row.claimed_until = None
    row.last_error = ""
    session.flush()


def mark_retry(session: Session, row: OutboxMail, error: str, next_attempt_at: datetime) -> None:
    """A temporary failure: try again at `next_attempt_at`."""
    row.status = MailStatus.QUEUED.value
    row.next_attempt_at = next_attempt_at
    row.claimed_until = None
    row.last_error = error[:2000]
    session.flush()


def mark_failed(session: Session, row: OutboxMail, error: str) -> None:
    """A permanent failure (5xx): kept, shown by `practices outbox`, retried only by hand."""
    row.status = MailStatus.FAILED.value
    row.claimed_until = None
    row.last_error = error[:2000]
    session.flush()


def retry(session: Session, mail_id: int, now: datetime | None = None) -> OutboxMail | None:
    """Make a failed or waiting mail due now; None when there is no such mail to retry."""
    row = session.get(OutboxMail, mail_id)
    if row is None or row.status not in (MailStatus.FAILED.value, MailStatus.QUEUED.value):
        return None
    row.status = MailStatus.QUEUED.value
    row.next_attempt_at = now or utcnow()
    session.flush()
    return row


def mails(
    session: Session, status: str | None = None, limit: int | None = None
) -> list[OutboxMail]:
    """Mail in the outbox, newest first; only one status when given."""
    query = select(OutboxMail).order_by(OutboxMail.id.desc())
    if status is not None:
        query = query.where(OutboxMail.status == status)
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def depth(session: Session) -> dict[str, int]:
    """How many mails stand in each status (the outbox-depth gauge of the metrics)."""
    rows = session.execute(
        select(OutboxMail.status, func.count()).group_by(OutboxMail.status)
    ).all()
    counts = {status.value: 0 for status in MailStatus}
    counts.update({status: int(count) for status, count in rows})
    return counts


def for_draft(session: Session, draft_id: int, kind: MailKind) -> OutboxMail | None:
    """The newest mail of `kind` about one draft (its acknowledgement, its published notice)."""
    return session.scalars(
        select(OutboxMail)
        .where(OutboxMail.draft_id == draft_id, OutboxMail.kind == kind.value)
        .order_by(OutboxMail.id.desc())
        .limit(1)
    ).one_or_none()


def latest(session: Session, kind: MailKind) -> OutboxMail | None:
    """The newest mail of `kind` (the last digest, the last alert)."""
    return session.scalars(
        select(OutboxMail).where(OutboxMail.kind == kind.value).order_by(OutboxMail.id.desc())
    ).first()
