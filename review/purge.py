"""Retention: forget the raw messages and contact details of rejected and ignored items.

Past the retention period, a rejected draft keeps its text (so the audit trail still says what
was turned down) but loses its raw message, its photos' files, and every contact detail:
contact name and address, the sender, the signature, the quoted history and who forwarded it.
An ignored message (auto-reply, delivery report) loses its raw file and sender. Approved
practices are never touched: they keep what is published.

Purging is idempotent: an item with nothing left to forget is skipped, so running it every night
costs nothing and leaves no empty events. Files are deleted before the caller commits; if the
commit then fails, the next run finds the rows and finishes the job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.vocabulary import DraftStatus, Outcome
from store.files import BlobStore
from store.models import InboundMessage, Photo, PracticeDraft, ReviewEvent

DRAFT_CONTACT_FIELDS = ("contact_name", "contact_email", "signature", "quoted_text", "forwarded_by")


@dataclass
class PurgeReport:
    """What a purge did (or, with dry_run, would do)."""

    older_than_days: int
    cutoff: datetime
    dry_run: bool = False
    draft_ids: list[int] = field(default_factory=list)
    inbound_ids: list[int] = field(default_factory=list)
    raw_files: int = 0
    photo_files: int = 0

    def counts(self) -> dict[str, Any]:
        """The numbers recorded in the summary event and printed by the command."""
        return {
            "older_than_days": self.older_than_days,
            "drafts": len(self.draft_ids),
            "messages": len(self.inbound_ids),
            "raw_files": self.raw_files,
            "photo_files": self.photo_files,
        }


def _delete(blobs: BlobStore, relative: str, dry_run: bool) -> bool:
    path = blobs.path_of(relative)
    existed = path.exists()
    if existed and not dry_run:
        path.unlink(missing_ok=True)
    return existed


def _forget_raw(inbound: InboundMessage, blobs: BlobStore, report: PurgeReport) -> list[str]:
    forgotten = []
    if inbound.raw_path:
        if _delete(blobs, inbound.raw_path, report.dry_run):
            report.raw_files += 1
        forgotten.append("raw_file")
    if inbound.sender:
        forgotten.append("sender")
    if not report.dry_run:
        inbound.raw_path = ""
        inbound.sender = ""
    return forgotten


def _shared(session: Session, photo: Photo, relative: str) -> bool:
    """Whether another photo row still points at the same derivative (content-addressed)."""
    query = select(func.count(Photo.id)).where(
        Photo.id != photo.id, (Photo.web_path == relative) | (Photo.thumbnail_path == relative)
    )
    return bool(session.scalar(query))


def _forget_photos(
    session: Session, draft: PracticeDraft, blobs: BlobStore, report: PurgeReport
) -> list[str]:
    forgotten = []
    for photo in draft.photos:
        for attribute in ("web_path", "thumbnail_path"):
            relative: str = getattr(photo, attribute)
            if not relative:
                continue
            if not _shared(session, photo, relative) and _delete(blobs, relative, report.dry_run):
                report.photo_files += 1
            if not report.dry_run:
                setattr(photo, attribute, "")
                session.flush()  # the next _shared() must see this path gone
            forgotten.append(f"photo:{photo.id}:{attribute}")
    return forgotten


def _purge_draft(
    session: Session, draft: PracticeDraft, blobs: BlobStore, report: PurgeReport, actor: str
) -> None:
    forgotten = [name for name in DRAFT_CONTACT_FIELDS if getattr(draft, name)]
    forgotten += _forget_raw(draft.inbound, blobs, report)
    forgotten += _forget_photos(session, draft, blobs, report)
    if not forgotten:
        return
    report.draft_ids.append(draft.id)
    if report.dry_run:
        return
    for name in DRAFT_CONTACT_FIELDS:
        setattr(draft, name, "")
    session.add(
        ReviewEvent(
            draft_id=draft.id,
            inbound_id=draft.inbound_id,
            actor=actor,
            action="purge",
            changes={"purged": forgotten},
            note=f"Säilytysaika ({report.older_than_days} päivää) ylittyi.",
        )
    )


def purge(
    session: Session,
    blobs: BlobStore,
    older_than_days: int,
    actor: str,
    now: datetime,
    *,
    dry_run: bool = False,
) -> PurgeReport:
    """Forget what retention allows no longer keeping; never touches approved practices.

    Rejected drafts count from their last change (the rejection), ignored messages from their
    arrival. Writes one "purge" event per draft and one summary event with the counts.
    """
    cutoff = now - timedelta(days=older_than_days)
    report = PurgeReport(older_than_days=older_than_days, cutoff=cutoff, dry_run=dry_run)
    rejected = select(PracticeDraft).where(
        PracticeDraft.status == DraftStatus.REJECTED, PracticeDraft.updated_at < cutoff
    )
    for draft in session.scalars(rejected.order_by(PracticeDraft.id)).all():
        _purge_draft(session, draft, blobs, report, actor)
    ignored = select(InboundMessage).where(
        InboundMessage.outcome == Outcome.IGNORED, InboundMessage.created_at < cutoff
    )
    for inbound in session.scalars(ignored.order_by(InboundMessage.id)).all():
        if _forget_raw(inbound, blobs, report):
            report.inbound_ids.append(inbound.id)
    if not dry_run and (report.draft_ids or report.inbound_ids):
        session.add(
            ReviewEvent(
                actor=actor,
                action="purge",
                changes={**report.counts(), "inbound_ids": report.inbound_ids},
                note=f"Säilytysaika {older_than_days} päivää.",
            )
        )
        session.flush()
    return report
