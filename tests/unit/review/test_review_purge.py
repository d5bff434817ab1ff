"""Retention: rejected and ignored items lose raw mail and contacts; approved ones keep all."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from review import operations
from review.purge import purge
from store.files import BlobStore
from store.models import InboundMessage, PracticeDraft, ReviewEvent
from tests.unit.review.conftest import Builder

LATER = datetime.now(UTC) + timedelta(days=400)


def test_purge_forgets_rejected_and_keeps_approved(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    rejected = build(subject="hylätty")
    approved = build(subject="hyväksytty")
    with sessions.begin() as session:
        operations.reject(session, rejected, "anna", "Ei käytäntö")
        operations.approve(session, approved, "anna")
    with sessions.begin() as session:
        raw_rejected = blobs.path_of(operations.get_draft(session, rejected).inbound.raw_path)
        raw_approved = blobs.path_of(operations.get_draft(session, approved).inbound.raw_path)
        report = purge(session, blobs, 365, "järjestelmä", LATER)
    assert report.draft_ids == [rejected]
    assert not raw_rejected.exists() and raw_approved.exists()
    with sessions.begin() as session:
        gone = operations.get_draft(session, rejected)
        kept = operations.get_draft(session, approved)
        assert (gone.contact_name, gone.contact_email, gone.inbound.sender) == ("", "", "")
        assert gone.what_and_why  # the text stays for the audit trail
        assert kept.contact_email and kept.inbound.sender and kept.inbound.raw_path
        assert operations.history(session, rejected)[-1].action == "purge"


def test_purge_is_idempotent(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    draft_id = build()
    with sessions.begin() as session:
        operations.reject(session, draft_id, "anna", "Ei käytäntö")
    with sessions.begin() as session:
        purge(session, blobs, 30, "järjestelmä", LATER)
    with sessions.begin() as session:
        again = purge(session, blobs, 30, "järjestelmä", LATER)
        events = session.scalars(select(ReviewEvent).where(ReviewEvent.action == "purge")).all()
    assert again.counts()["drafts"] == 0
    assert len(events) == 2  # one for the draft, one summary


def test_purge_leaves_items_younger_than_retention(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    draft_id = build()
    with sessions.begin() as session:
        operations.reject(session, draft_id, "anna", "Ei käytäntö")
        report = purge(session, blobs, 365, "järjestelmä", datetime.now(UTC))
    assert report.draft_ids == []


def test_purge_forgets_ignored_messages(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
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
    with sessions.begin() as session:
        report = purge(session, blobs, 30, "järjestelmä", LATER)
    assert len(report.inbound_ids) == 1 and report.raw_files == 1
    assert not blobs.path_of(relative).exists()


def test_dry_run_changes_nothing(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    draft_id = build()
    with sessions.begin() as session:
        operations.reject(session, draft_id, "anna", "Ei käytäntö")
    with sessions.begin() as session:
        report = purge(session, blobs, 30, "järjestelmä", LATER, dry_run=True)
    assert report.draft_ids == [draft_id]
    with sessions.begin() as session:
        draft = session.get(PracticeDraft, draft_id)
        assert draft is not None and draft.contact_email
        assert blobs.path_of(draft.inbound.raw_path).exists()


def test_purge_keeps_a_photo_file_another_draft_still_uses(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    shared = blobs.put_derivative(b"same photo", "jpg")
    own = blobs.put_derivative(b"own photo", "jpg")
    rejected = build(photos=({"web_path": shared, "thumbnail_path": own},))
    approved = build(photos=({"web_path": shared},), subject="toinen")
    with sessions.begin() as session:
        operations.reject(session, rejected, "anna", "Kaksoiskappale")
        operations.approve(session, approved, "anna")
    with sessions.begin() as session:
        report = purge(session, blobs, 30, "järjestelmä", LATER)
    assert report.photo_files == 1
    assert blobs.path_of(shared).exists() and not blobs.path_of(own).exists()
