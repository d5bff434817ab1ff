"""Drafts under review: the draft, its flags, photos and search terms, and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.vocabulary import DraftStatus
from store.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from store.models.mail import InboundMessage


class PracticeDraft(Base):
    """A practice record being reviewed; `version` guards against silent concurrent edits."""

    __tablename__ = "practice_draft"
    __table_args__ = (
        UniqueConstraint("inbound_id"),
        # The console's queue: one status, newest first, 50 at a time, and (with a search or a
        # flag filter) the walk that keeps the matching drafts; its counts by status (and page)
        # within one theme; read from the index alone (SQLite's indexes hold the row id; a
        # PostgreSQL index is given it).
        Index(
            "ix_practice_draft_status_received_at",
            "status",
            "received_at",
            postgresql_include=["id"],
        ),
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
    __table_args__ = (
        # The queue's flag filter: the drafts with an open flag of one kind, from the index alone.
        Index(
            "ix_draft_flag_open_code_draft_id",
            "code",
            "draft_id",
            sqlite_where=text("dismissed_at IS NULL"),
            postgresql_where=text("dismissed_at IS NULL"),
        ),
    )

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
