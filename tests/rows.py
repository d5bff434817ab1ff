"""Rows that tests store straight into the database, without the pipeline."""

from __future__ import annotations

from datetime import datetime

from store.files import BlobStore
from store.models import InboundMessage


def inbound_row(
    blobs: BlobStore,
    raw: bytes,
    *,
    uid: int,
    message_id: str,
    sent_at: datetime,
    sender: str,
    subject: str,
    created_at: datetime | None = None,
) -> InboundMessage:
    """The message a draft was made from: `raw` put in the blob store, fetched from the
    avoinhallinto mailbox (UIDVALIDITY 1) as `uid`, its outcome a draft. Without `created_at`
    the row is stamped with the time it is stored."""
    digest, relative = blobs.put_raw(raw)
    inbound = InboundMessage(
        mailbox="avoinhallinto",
        uidvalidity=1,
        uid=uid,
        message_id=message_id,
        raw_sha256=digest,
        raw_size=len(raw),
        raw_path=relative,
        sent_at=sent_at,
        sender=sender,
        subject=subject,
        outcome="draft",
    )
    if created_at is not None:
        inbound.created_at = created_at
    return inbound
