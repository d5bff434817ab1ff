"""A photo's alt text and credit: set by an editor, audited and version-checked."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from review import operations
from review.errors import InvalidField, ReviewConflict
from tests.unit.review.conftest import Builder

ACTOR = "anna"
TWO_PHOTOS = (
    {"role": "main", "web_path": "photos/aa/a.jpg"},
    {"role": "alternative", "web_path": "photos/bb/b.jpg", "sha256": "1" * 64},
)


def test_alt_text_and_credit_are_set_and_recorded(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(photos=TWO_PHOTOS)
    with sessions.begin() as session:
        event = operations.set_photo_text(
            session, draft_id, ACTOR, index=2, alt_text=" Asukkaat kartan ääressä ", credit="Ville"
        )
        assert event is not None and event.action == "photo_text"
        second = operations.get_draft(session, draft_id).photos[1]
        assert event.changes == {
            "photo": second.id,
            "alt_text": {"from": "", "to": "Asukkaat kartan ääressä"},
            "credit": {"from": "", "to": "Ville"},
        }
        assert (second.alt_text, second.credit) == ("Asukkaat kartan ääressä", "Ville")


def test_the_main_photos_credit_is_the_drafts_photo_credit_too(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(photos=TWO_PHOTOS, photo_credit="Vanha")
    with sessions.begin() as session:
        event = operations.set_photo_text(session, draft_id, ACTOR, index=1, credit="Liisa")
        assert event is not None
        assert event.changes["photo_credit"] == {"from": "Vanha", "to": "Liisa"}
        assert operations.get_draft(session, draft_id).photo_credit == "Liisa"


def test_only_the_given_text_changes(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build(photos=({"role": "main", "web_path": "p.jpg", "credit": "Liisa"},))
    with sessions.begin() as session:
        operations.set_photo_text(session, draft_id, ACTOR, index=1, alt_text="Kartta")
        photo = operations.get_draft(session, draft_id).photos[0]
        assert (photo.alt_text, photo.credit) == ("Kartta", "Liisa")


def test_setting_the_same_text_again_writes_no_event(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(photos=({"role": "main", "web_path": "p.jpg", "alt_text": "Kartta"},))
    with sessions.begin() as session:
        assert (
            operations.set_photo_text(session, draft_id, ACTOR, index=1, alt_text="Kartta") is None
        )
        assert operations.history(session, draft_id) == []


@pytest.mark.parametrize(
    ("alt_text", "credit"),
    [(None, None), ("kaksi\nriviä", None), (None, "a\rb")],
    ids=["none", "alt", "credit"],
)
def test_refuses_no_text_and_line_breaks(
    sessions: sessionmaker[Session], build: Builder, alt_text: str | None, credit: str | None
) -> None:
    draft_id = build(photos=TWO_PHOTOS)
    with sessions.begin() as session, pytest.raises(InvalidField):
        operations.set_photo_text(
            session, draft_id, ACTOR, index=1, alt_text=alt_text, credit=credit
        )


def test_refuses_a_photo_the_draft_does_not_have(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(photos=TWO_PHOTOS)
    with sessions.begin() as session, pytest.raises(InvalidField, match="ei ole kuvaa 3"):
        operations.set_photo_text(session, draft_id, ACTOR, index=3, alt_text="x")


def test_refuses_a_stale_version(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build(photos=TWO_PHOTOS)
    with sessions.begin() as session:
        operations.set_photo_text(session, draft_id, ACTOR, index=1, alt_text="Eka")
    with sessions.begin() as session, pytest.raises(ReviewConflict):
        operations.set_photo_text(
            session, draft_id, "pekka", index=1, alt_text="Toka", expected_version=1
        )
