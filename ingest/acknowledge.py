"""The acknowledgement of a new draft: queued in the transaction that creates the draft, or the
reason none is sent recorded on the draft instead.

The rules of whom we may answer are `core.answering`'s (pure, shared with review's published
notice); this module applies them with what only the pipeline knows: the configuration, the
mailbox the message came from, and how many acknowledgements the address got in 24 hours.
The text is not made here: the row holds the facts (reference, title, subject), and the
sender renders them with the operator's templates after commit.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from core.answering import (
    QUEUED,
    AckRefusal,
    AnswerRules,
    Refusal,
    daily_limit,
    never_answer,
    referenced_ids,
    reply_address,
)
from core.config import Settings
from core.vocabulary import IMPORT_MAILBOX, MailKind
from ingest.message import ParsedMessage
from store import outbox
from store.models import InboundMessage, PracticeDraft, utcnow

DAY = timedelta(hours=24)


def answer_rules(settings: Settings) -> AnswerRules:
    """The never-answer rules as this configuration sets them; our From and Reply-To are ours."""
    own = (*settings.own_addresses, settings.smtp.from_address, settings.smtp.reply_to)
    return AnswerRules(
        own_addresses=tuple(address for address in own if address),
        public_domains=settings.public_domains,
        only_known_domains=settings.senders.ack_only_known_domains,
        per_sender_per_day=settings.acknowledgements.per_sender_per_day,
    )


def queue_acknowledgement(
    session: Session,
    settings: Settings,
    draft: PracticeDraft,
    inbound: InboundMessage,
    message: ParsedMessage,
) -> Refusal | None:
    """Queue the acknowledgement of `draft` (already flushed), or record on it why not."""
    address = reply_address(message.headers, message.from_address)
    rules = answer_rules(settings)
    refusal = never_answer(message.headers, message.from_address, address, rules)
    draft.reply_address = "" if refusal is not None else address
    if refusal is None and not (settings.smtp.enabled and settings.acknowledgements.enabled):
        refusal = Refusal(AckRefusal.MAIL_OFF, "[smtp] host or [acknowledgements] enabled")
    if refusal is None and inbound.mailbox == IMPORT_MAILBOX:
        refusal = Refusal(AckRefusal.IMPORTED, "practices import")
    if refusal is None:
        now = utcnow()
        sent = outbox.queued_since(session, MailKind.ACKNOWLEDGEMENT, address, now - DAY)
        refusal = daily_limit(sent, rules)
    if refusal is not None:
        draft.acknowledgement = refusal.code.value
        draft.acknowledgement_detail = refusal.detail[:2000]
        return refusal
    received = inbound.sent_at or inbound.created_at or utcnow()
    outbox.enqueue_to_submitter(
        session,
        kind=MailKind.ACKNOWLEDGEMENT,
        draft=draft,
        recipient=address,
        domain=settings.smtp.domain,
        mailbox=inbound.mailbox,
        context={
            "subject": message.subject,
            "received_at": received.isoformat(),
            "in_reply_to": message.message_id,
            "references": [*referenced_ids(message.headers), message.message_id],
        },
    )
    draft.acknowledgement = QUEUED
    draft.acknowledgement_detail = ""
    return None
