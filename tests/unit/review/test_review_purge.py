"""Retention: rejected and ignored items lose raw mail and contacts; approved ones keep all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from review import operations
from review.purge import PurgeReport, purge
from store.files import BlobStore
from store.models import InboundMessage, PracticeDraft, ReviewEvent
from tests.unit.review.conftest import Builder

LATER = datetime.now(UTC) + timedelta(days=400)


def rejected(sessions: sessionmaker[Session], build: Builder, **fields: Any) -> int:
    """A new draft, rejected by an editor."""
    draft_id = build(**fields)
    with sessions.begin() as session:
        operations.reject(session, draft_id, "anna", "Ei käytäntö")
    return draft_id


def purged(
    sessions: sessionmaker[Session],
    blobs: BlobStore,
    days: int = 30,
    now: datetime = LATER,
    *,
    dry_run: bool = False,
) -> PurgeReport:
    """What `purge` with `days` of retention reports at `now`, committed."""
    with sessions.begin() as session:
        return purge(session, blobs, days, "järjestelmä", now, dry_run=dry_run)


def test_purge_forgets_rejected_and_keeps_approved(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    gone_id = rejected(sessions, build, subject="hylätty")
    kept_id = build(subject="hyväksytty")
    with sessions.begin() as session:
        operations.approve(session, kept_id, "anna")
        raw_rejected = blobs.path_of(operations.get_draft(session, gone_id).inbound.raw_path)
        raw_approved = blobs.path_of(operations.get_draft(session, kept_id).inbound.raw_path)
    report = purged(sessions, blobs, 365)
    assert report.draft_ids == [gone_id]
    assert not raw_rejected.exists() and raw_approved.exists()
    with sessions.begin() as session:
        gone = operations.get_draft(session, gone_id)
        kept = operations.get_draft(session, kept_id)
        assert (gone.contact_name, gone.contact_email, gone.inbound.sender) == ("", "", "")
        assert gone.what_and_why  # the text stays for the audit trail
        assert kept.contact_email and kept.inbound.sender and kept.inbound.raw_path
        assert operations.history(session, gone_id)[-1].action == "purge"


def test_purge_is_idempotent(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    rejected(sessions, build)
    purged(sessions, blobs)
    again = purged(sessions, blobs)
    with sessions.begin() as session:
        events = session.scalars(select(ReviewEvent).where(ReviewEvent.action == "purge")).all()
    assert again.counts()["drafts"] == 0
    assert len(events) == 2  # one for the draft, one summary


def test_purge_leaves_items_younger_than_retention(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    rejected(sessions, build)
    assert purged(sessions, blobs, 365, datetime.now(UTC)).draft_ids == []


def test_purge_forgets_ignored_messages(sessions: sessionmaker[Session], blobs: BlobStore) -> None:
    digest, relative = blobs.put_raw(b"Subject: Poissaoloilmoitus\r\n\r\nolen lomalla")
    with sessions.begin() as session:
        session.add(
            InboundMessage(
                mailbox="avoinhallinto",
                raw_sha256=digest,
                raw_size=10,
                raw_path=relative,
                sender="loma@esimerkkila.fi",
                subject="Poissaoloilmoitus",
                outcome="ignored",
            )
        )
    report = purged(sessions, blobs)
    assert len(report.inbound_ids) == 1 and report.raw_files == 1
    assert not blobs.path_of(relative).exists()


def test_dry_run_changes_nothing(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    draft_id = rejected(sessions, build)
    assert purged(sessions, blobs, dry_run=True).draft_ids == [draft_id]
    with sessions.begin() as session:
        draft = session.get(PracticeDraft, draft_id)
        assert draft is not None and draft.contact_email
        assert blobs.path_of(draft.inbound.raw_path).exists()


def test_purge_keeps_a_photo_file_another_draft_still_uses(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    shared = blobs.put_derivative(b"same photo", "jpg")
    own = blobs.put_derivative(b"own photo", "jpg")
    rejected(sessions, build, photos=({"web_path": shared, "thumbnail_path": own},))
    approved = build(photos=({"web_path": shared},), subject="toinen")
    with sessions.begin() as session:
        operations.approve(session, approved, "anna")
    assert purged(sessions, blobs).photo_files == 1
    assert blobs.path_of(shared).exists() and not blobs.path_of(own).exists()
