"""Mail in and out: each mailbox's progress, each message received, each mail to send."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from store.models.drafts import PracticeDraft


class MailboxState(Base):
    """Per-mailbox progress and health: where the last poll stopped and how it went."""

    __tablename__ = "mailbox_state"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    last_poll_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)


class InboundMessage(Base):
    """One raw message as received, with its outcome; its raw bytes live under data_dir."""

    __tablename__ = "inbound_message"
    __table_args__ = (
        UniqueConstraint("mailbox", "uidvalidity", "uid"),
        UniqueConstraint("raw_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mailbox: Mapped[str] = mapped_column(String(100), index=True)
    folder: Mapped[str] = mapped_column(String(300), default="")
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[str] = mapped_column(String(998), default="", index=True)
    # None only for a message over the size limit, which is never fetched (it stays on the server).
    raw_sha256: Mapped[str | None] = mapped_column(String(64))
    raw_size: Mapped[int] = mapped_column(BigInteger)
    raw_path: Mapped[str] = mapped_column(String(300), default="")
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sender: Mapped[str] = mapped_column(String(998), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(String(20), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    error_text: Mapped[str] = mapped_column(Text, default="")
    defects: Mapped[list[str]] = mapped_column(JSON, default=list)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    server_done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    draft: Mapped[PracticeDraft | None] = relationship(back_populates="inbound")


class OutboxMail(Base):
    """One mail to send, written in the same transaction as the event that causes it.

    The daemon sends it after that commit. `status` goes queued → sending → sent, or back to
    queued with a later `next_attempt_at` after a temporary failure, or to failed after a
    permanent one. `message_id` is fixed when the row is written, and `rendered` holds the
    message as first sent, so a mail sent again after a crash is the same mail, recognisable
    by its Message-ID. `dedup_key` makes the event itself idempotent: one acknowledgement per
    draft, one digest per day, one alert per incident.
    """

    __tablename__ = "outbox_mail"
    __table_args__ = (UniqueConstraint("message_id"), UniqueConstraint("dedup_key"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    dedup_key: Mapped[str | None] = mapped_column(String(200))
    message_id: Mapped[str] = mapped_column(String(300))
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The first recipient, lower-cased: what the daily limit of acknowledgements counts by.
    recipient_key: Mapped[str] = mapped_column(String(998), default="", index=True)
    language: Mapped[str] = mapped_column(String(8), default="")
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_draft.id", ondelete="SET NULL"), index=True
    )
    # The [[mailbox]] whose sent_folder gets a copy ("" for none).
    mailbox: Mapped[str] = mapped_column(String(100), default="")
    # What the template is filled with, as it was when the event happened.
    context: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    rendered: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Who is sending it right now, and until when that claim holds (a crash leaves it behind).
    claimed_by: Mapped[str] = mapped_column(String(200), default="")
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    copied: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
