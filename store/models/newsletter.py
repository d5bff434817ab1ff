"""Newsletter editions: each month's practices in order, with the editors' intro."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from store.models.drafts import PracticeDraft


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
