"""The "published" notice: when a practice is approved, its submitter may be told, with a link.

Off by default (`[publishing] notify_submitter`). Queued in the approval's transaction, once
per draft ever (approving again after a reopen tells no one twice), and only to a submitter
who could be answered at all: the draft's `reply_address` is empty for automatic, list,
no-reply and own mail (`core.answering`), and for imported backfill it is never asked.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.answering import reference_number
from core.config import Settings
from core.vocabulary import MailKind
from review.publishing import page_name
from store import outbox
from store.models import OutboxMail, PracticeDraft, utcnow

LANGUAGES = ("fi", "sv", "en")


def published_key(draft_id: int) -> str:
    """The outbox key of a draft's published notice: one per draft, ever."""
    return f"{MailKind.PUBLISHED.value}:draft:{draft_id}"


def queue_published_notice(
    session: Session, settings: Settings, draft: PracticeDraft
) -> OutboxMail | None:
    """Queue the notice of an approved draft when notices are on and its sender may be told."""
    publishing = settings.publishing
    if not (publishing.notify_submitter and settings.smtp.enabled and draft.reply_address):
        return None
    inbound = draft.inbound
    return outbox.enqueue(
        session,
        kind=MailKind.PUBLISHED,
        recipients=[draft.reply_address],
        domain=settings.smtp.domain,
        language=draft.language if draft.language in LANGUAGES else "fi",
        draft_id=draft.id,
        mailbox=inbound.mailbox,
        dedup_key=published_key(draft.id),
        context={
            "reference": reference_number(draft.id, (draft.created_at or utcnow()).year),
            "title": draft.title,
            "url": publishing.page_url(page_name(draft)),
            "subject": inbound.subject,
            "in_reply_to": inbound.message_id,
            "references": [inbound.message_id] if inbound.message_id else [],
        },
    )
