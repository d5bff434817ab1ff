"""The database schema as typed SQLAlchemy 2 models.

Idempotency lives here, not in check-then-insert code: one inbound row per (mailbox, UIDVALIDITY,
UID) and per raw SHA-256, and at most one draft per inbound row. Every change the code makes to
this module needs an Alembic revision in `store/migrations/versions/`; a test compares the two.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from core.vocabulary import DraftStatus

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only kind this schema stores)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and returns them aware, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """The one declarative base; its naming convention keeps migration names stable."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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


class PracticeDraft(Base):
    """A practice record being reviewed; `version` guards against silent concurrent edits."""

    __tablename__ = "practice_draft"
    __table_args__ = (
        UniqueConstraint("inbound_id"),
        # The console's queue: one status, newest first, 50 at a time; and its counts by status
        # (and page) within one theme, read from the index alone.
        Index("ix_practice_draft_status_received_at", "status", "received_at"),
        Index("ix_practice_draft_theme_status_received_at", "theme", "status", "received_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inbound_id: Mapped[int] = mapped_column(ForeignKey("inbound_message.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(Text, default="")
    contact_email: Mapped[str] = mapped_column(String(998), default="")
    theme: Mapped[str | None] = mapped_column(String(40), index=True)
    theme_suggested: Mapped[bool] = mapped_column(Boolean, default=False)
    theme_reason: Mapped[str] = mapped_column(Text, default="")
    what_and_why: Mapped[str] = mapped_column(Text, default="")
    achieved: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    more_info: Mapped[str] = mapped_column(Text, default="")
    unmatched_text: Mapped[str] = mapped_column(Text, default="")
    quoted_text: Mapped[str] = mapped_column(Text, default="")
    signature: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="")
    forwarded_by: Mapped[str] = mapped_column(Text, default="")
    source_document: Mapped[str] = mapped_column(Text, default="")
    field_sources: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # sha256 of the normalised answer text: finds resubmissions whose bytes differ.
    text_fingerprint: Mapped[str] = mapped_column(String(64), default="", index=True)
    photo_credit: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=DraftStatus.DRAFT, index=True)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    passed_rules: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What ingestion noticed besides flags ({"code": NoteCode, "params": {...}}), e.g. the note a
    # forwarder wrote above the submission; worded by core.catalogue where shown.
    notes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    edited_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Whom our answers (acknowledgement, published notice) go to; "" when no one may be
    # answered (automatic mail, a list, a no-reply address: see core.answering).
    reply_address: Mapped[str] = mapped_column(String(998), default="")
    # "queued" when an acknowledgement was queued, else why none was (an AckRefusal code), with
    # the header or rule that showed it in `acknowledgement_detail`.
    acknowledgement: Mapped[str] = mapped_column(String(40), default="")
    acknowledgement_detail: Mapped[str] = mapped_column(Text, default="")
    # When the submission arrived (its Date header, else when it was stored): copied from the
    # inbound row when the draft is first flushed (`store.draft_index`), so the queue sorts and
    # pages on an index of this table alone.
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__: dict[str, Any] = {"version_id_col": version}  # noqa: RUF012

    inbound: Mapped[InboundMessage] = relationship(back_populates="draft")
    flags: Mapped[list[DraftFlag]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="DraftFlag.id"
    )
    photos: Mapped[list[Photo]] = relationship(
        back_populates="draft", cascade="all, delete-orphan", order_by="Photo.id"
    )


class DraftFlag(Base):
    """One reason an editor should look at a draft: a FlagCode value and its parameters.

    No text is stored: `core.catalogue` words it where shown, in the reader's language. A flag
    stays open until settled by an edit (the row goes) or dismissed by an editor with a reason
    (the row stays, with who, when and why).
    """

    __tablename__ = "draft_flag"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("practice_draft.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(60), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dismissed_by: Mapped[str] = mapped_column(String(200), default="")
    dismissal_reason: Mapped[str] = mapped_column(Text, default="")

    draft: Mapped[PracticeDraft] = relationship(back_populates="flags")

    @property
    def is_open(self) -> bool:
        """Whether no editor has dismissed the flag yet."""
        return self.dismissed_at is None


class Photo(Base):
    """An image found in a submission, with its role and the derivatives made from it."""

    __tablename__ = "photo"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("practice_draft.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    attachment_index: Mapped[int] = mapped_column(Integer, default=0)
    filename: Mapped[str] = mapped_column(Text, default="")
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    byte_size: Mapped[int] = mapped_column(BigInteger, default=0)
    image_format: Mapped[str] = mapped_column(String(20), default="")
    width: Mapped[int] = mapped_column(Integer, default=0)
    height: Mapped[int] = mapped_column(Integer, default=0)
    web_path: Mapped[str] = mapped_column(String(300), default="")
    web_width: Mapped[int] = mapped_column(Integer, default=0)
    web_height: Mapped[int] = mapped_column(Integer, default=0)
    thumbnail_path: Mapped[str] = mapped_column(String(300), default="")
    credit: Mapped[str] = mapped_column(Text, default="")
    # Describes the photo for screen readers on the published page (WCAG 2.1, 1.1.1).
    alt_text: Mapped[str] = mapped_column(Text, default="")
    reject_reason: Mapped[str] = mapped_column(Text, default="")
    had_location: Mapped[bool] = mapped_column(Boolean, default=False)

    draft: Mapped[PracticeDraft] = relationship(back_populates="photos")


class ReviewEvent(Base):
    """The audit trail: who did what to a draft (or to a message), when, and what changed."""

    __tablename__ = "review_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_draft.id", ondelete="SET NULL"), index=True
    )
    inbound_id: Mapped[int | None] = mapped_column(
        ForeignKey("inbound_message.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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


class DraftSearchTerm(Base):
    """One base form a draft's text contains: the search index the console queries.

    Kept by `store.draft_index` whenever a draft's text is written, whoever writes it (ingest,
    reparse, an editor); a term is a `core.lemmas` key tagged with its language ("fi:asukasilta").
    """

    __tablename__ = "draft_search_term"
    __table_args__ = (PrimaryKeyConstraint("term", "draft_id"),)

    term: Mapped[str] = mapped_column(String(120))
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("practice_draft.id", ondelete="CASCADE"), index=True
    )


class EditorAccount(Base):
    """Someone who may log in to the console; the name is what the audit trail records."""

    __tablename__ = "editor_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    email: Mapped[str] = mapped_column(String(998), default="")
    # An argon2id hash (argon2-cffi's encoded form, parameters included); never the password.
    password_hash: Mapped[str] = mapped_column(String(300))
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EditorSession(Base):
    """A login: the cookie holds a random token, the row only its SHA-256, so a copy of the
    database opens no session. Deleting the row ends the login at once."""

    __tablename__ = "editor_session"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("editor_account.id", ondelete="CASCADE"), index=True
    )
    # Sent back in every state-changing form; compared in constant time.
    csrf_token: Mapped[str] = mapped_column(String(64))
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    account: Mapped[EditorAccount] = relationship()


class LoginAttempt(Base):
    """One login attempt, kept for a day: what throttling counts per account and per address."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class NewsletterEdition(Base):
    """One month's newsletter as editors compose it: which practices, in what order, and an
    intro. One edition per month; the items are `NewsletterItem` rows in `position` order."""

    __tablename__ = "newsletter_edition"
    __table_args__ = (UniqueConstraint("month"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # "YYYY-MM": the month the edition is for (its name in every command).
    month: Mapped[str] = mapped_column(String(7))
    intro: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200), default="")
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # When `newsletter render` last wrote the message (None: never rendered).
    rendered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    items: Mapped[list[NewsletterItem]] = relationship(
        back_populates="edition",
        cascade="all, delete-orphan",
        order_by="NewsletterItem.position",
    )


class NewsletterItem(Base):
    """A practice in an edition, at its place; a practice is in an edition at most once."""

    __tablename__ = "newsletter_item"
    __table_args__ = (UniqueConstraint("edition_id", "draft_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    edition_id: Mapped[int] = mapped_column(
        ForeignKey("newsletter_edition.id", ondelete="CASCADE"), index=True
    )
    draft_id: Mapped[int] = mapped_column(
        ForeignKey("practice_draft.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    added_by: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    edition: Mapped[NewsletterEdition] = relationship(back_populates="items")
    draft: Mapped[PracticeDraft] = relationship()
