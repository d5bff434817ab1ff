"""The "published" notice: when a practice is approved, its submitter may be told, with a link.

Off by default (`[publishing] notify_submitter`). Queued in the approval's transaction, once
per draft ever (approving again after a reopen tells no one twice), and only to a submitter
who could be answered at all: the draft's `reply_address` is empty for automatic, list,
no-reply and own mail (`core.answering`), and for imported backfill it is never asked.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.config import Settings
from core.vocabulary import MailKind
from review.publishing import page_name
from store import outbox
from store.models import OutboxMail, PracticeDraft


def queue_published_notice(
    session: Session, settings: Settings, draft: PracticeDraft
) -> OutboxMail | None:
    """Queue the notice of an approved draft when notices are on and its sender may be told."""
    publishing = settings.publishing
    if not (publishing.notify_submitter and settings.smtp.enabled and draft.reply_address):
        return None
    inbound = draft.inbound
    return outbox.enqueue_to_submitter(
        session,
        kind=MailKind.PUBLISHED,
        draft=draft,
        recipient=draft.reply_address,
        domain=settings.smtp.domain,
        mailbox=inbound.mailbox,
        context={
            "url": publishing.page_url(page_name(draft)),
            "subject": inbound.subject,
            "in_reply_to": inbound.message_id,
            "references": [inbound.message_id] if inbound.message_id else [],
        },
    )
