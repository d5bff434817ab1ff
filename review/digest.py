"""The editors' daily digest: what arrived since the last one, and what has waited too long.

The digest is queued into the outbox like any mail, keyed by its day (one per day, however
often the schedule fires or the daemon restarts), and it remembers up to when it looked
(`until`), so the next one starts there and no draft is missed or listed twice. On a day with
nothing new nothing is queued, and the next digest still starts from the last one's `until`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.catalogue import flag_name
from core.config import Settings
from core.vocabulary import DraftStatus, MailKind
from review.dates import format_date, format_time, local_time
from review.queries import received_at
from store import outbox
from store.models import OutboxMail, PracticeDraft

FIRST_DIGEST_LOOKBACK = timedelta(hours=24)
WAITING_LISTED = 30


def digest_key(now: datetime) -> str:
    """The outbox key of the digest of the day (Finnish time) that `now` falls on."""
    return f"{MailKind.DIGEST.value}:{local_time(now).date().isoformat()}"


def _item(draft: PracticeDraft, settings: Settings, language: str) -> dict[str, Any]:
    return {
        "id": draft.id,
        "title": draft.title,
        "organisation": draft.organisation,
        "received": format_time(received_at(draft), language),
        "flags": [flag_name(flag.code, language) for flag in draft.flags if flag.is_open],
        "link": settings.web.draft_url(draft.id),
    }


def _drafts(session: Session, *conditions: Any) -> list[PracticeDraft]:
    return list(
        session.scalars(
            select(PracticeDraft)
            .where(*conditions)
            .options(selectinload(PracticeDraft.flags), selectinload(PracticeDraft.inbound))
            .order_by(PracticeDraft.id)
        )
    )


def queue_digest(session: Session, settings: Settings, now: datetime) -> OutboxMail | None:
    """Queue today's digest if there is something new and none was queued today."""
    digest = settings.digest
    if not digest.editors or not settings.smtp.enabled:
        return None
    key = digest_key(now)
    if outbox.by_dedup_key(session, key) is not None:
        return None
    last = outbox.latest(session, MailKind.DIGEST)
    since = datetime.fromisoformat(last.context["until"]) if last else now - FIRST_DIGEST_LOOKBACK
    new = _drafts(
        session,
        PracticeDraft.created_at >= since,
        PracticeDraft.created_at < now,
        PracticeDraft.status == DraftStatus.DRAFT.value,
    )
    if not new:
        return None
    waiting = _drafts(
        session,
        PracticeDraft.created_at < now - timedelta(days=digest.waiting_days),
        PracticeDraft.status == DraftStatus.DRAFT.value,
    )
    language = digest.language
    return outbox.enqueue(
        session,
        kind=MailKind.DIGEST,
        recipients=list(digest.editors),
        domain=settings.smtp.domain,
        language=language,
        dedup_key=key,
        now=now,
        context={
            "since": since.isoformat(),
            "until": now.isoformat(),
            "date": format_date(now, language),
            "new": [_item(draft, settings, language) for draft in new],
            "waiting": [_item(draft, settings, language) for draft in waiting[:WAITING_LISTED]],
            "waiting_days": digest.waiting_days,
            "console": settings.web.public_url,
        },
    )
