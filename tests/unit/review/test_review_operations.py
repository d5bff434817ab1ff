"""Review operations: filters, approval rules, edits with their audit trail, reject and reopen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from core.vocabulary import DraftStatus
from review import operations
from review.errors import ApprovalBlocked, DraftNotFound, InvalidField, ReviewError
from tests.unit.review.conftest import Builder

ACTOR = "anna"


@pytest.fixture
def rejected_id(sessions: sessionmaker[Session], build: Builder) -> int:
    """A new draft that an editor has rejected."""
    draft_id = build()
    with sessions.begin() as session:
        operations.reject(session, draft_id, ACTOR, "Ei liity avoimeen hallintoon")
    return draft_id


def test_list_filters_by_status_theme_flag_organisation_and_month(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    may = build(theme="open_data", flags=("no_photo",), organisation="Valtiovarainministeriö")
    june = build(sent_at=datetime(2025, 6, 2, tzinfo=UTC), theme=None)
    with sessions.begin() as session:
        operations.reject(session, june, ACTOR, "Ei hyvä käytäntö")
    with sessions.begin() as session:

        def ids(**filters: str) -> list[int]:
            return [d.id for d in operations.list_drafts(session, **filters)]

        assert ids() == [may, june]
        assert ids(status="rejected") == [june]
        assert ids(theme="avoin data") == [may]
        assert ids(theme="none") == [june]
        assert ids(flag="no_photo") == [may]
        assert ids(organisation="valtiovarain") == [may]
        assert ids(month="2025-06") == [june]
        assert ids(month="2025-05") == [may]


def test_list_refuses_a_malformed_month(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session, pytest.raises(InvalidField):
        operations.list_drafts(session, month="5/2025")


def test_get_draft_of_unknown_id_raises_draft_not_found(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session, pytest.raises(DraftNotFound):
        operations.get_draft(session, 999)


def test_approve_without_theme_is_blocked_with_finnish_message(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(theme=None, what_and_why="")
    with sessions.begin() as session, pytest.raises(ApprovalBlocked) as caught:
        operations.approve(session, draft_id, ACTOR)
    assert caught.value.missing == ("theme", "what_and_why")
    assert "teema" in str(caught.value)
    assert "Mitä tehtiin ja miksi?" in str(caught.value)


def test_informational_flags_never_block_approval(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(flags=("no_photo", "forwarded", "theme_suggested"))
    with sessions.begin() as session:
        event = operations.approve(session, draft_id, ACTOR)
        assert "forced" not in event.changes
    with sessions.begin() as session:
        draft = operations.get_draft(session, draft_id)
        assert draft.status == DraftStatus.APPROVED
        assert draft.approved_at is not None
        assert all(flag.is_open for flag in draft.flags)


def test_edit_records_from_and_to_and_marks_edited_fields(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(title="Vanha otsikko")
    with sessions.begin() as session:
        event = operations.edit_fields(session, draft_id, {"title": " Uusi otsikko "}, ACTOR)
        assert event is not None
        assert event.changes == {"title": {"from": "Vanha otsikko", "to": "Uusi otsikko"}}
    with sessions.begin() as session:
        draft = operations.get_draft(session, draft_id)
        assert draft.edited_fields == ["title"]
        assert [e.action for e in operations.history(session, draft_id)] == ["edit"]
        assert draft.version == 2


def test_edit_with_the_same_value_writes_no_event(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(title="Sama")
    with sessions.begin() as session:
        assert operations.edit_fields(session, draft_id, {"title": "Sama"}, ACTOR) is None
        assert operations.history(session, draft_id) == []


@pytest.mark.parametrize(
    "changes",
    [
        {"theme": "open_data"},
        {"status": "approved"},
        {"contact_email": "ei osoite"},
        {"title": "kaksi\nriviä"},
    ],
)
def test_edit_refuses_invalid_fields(
    sessions: sessionmaker[Session], build: Builder, changes: dict[str, str]
) -> None:
    draft_id = build()
    with sessions.begin() as session, pytest.raises(InvalidField):
        operations.edit_fields(session, draft_id, changes, ACTOR)


def test_filling_a_missing_section_settles_its_flag(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(next_steps="", flags=("missing_next_steps", "no_photo"))
    with sessions.begin() as session:
        event = operations.edit_fields(session, draft_id, {"next_steps": "Jatketaan."}, ACTOR)
        assert event is not None
        assert event.changes["flags"] == {
            "from": ["missing_next_steps", "no_photo"],
            "to": ["no_photo"],
        }


def test_set_theme_accepts_finnish_names_and_confirms_a_suggestion(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(theme="participation", theme_suggested=True, flags=("theme_suggested",))
    with sessions.begin() as session:
        event = operations.set_theme(session, draft_id, "Avoin data", ACTOR)
        assert event is not None
        assert event.changes["theme"] == {"from": "participation", "to": "open_data"}
    with sessions.begin() as session:
        draft = operations.get_draft(session, draft_id)
        assert (draft.theme, draft.theme_suggested, draft.flags) == ("open_data", False, [])


def test_set_theme_refuses_unknown_theme(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build()
    with sessions.begin() as session, pytest.raises(InvalidField):
        operations.set_theme(session, draft_id, "kulttuuri", ACTOR)


def test_choose_main_photo_by_number_demotes_the_old_main(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(
        photos=(
            {"role": "main", "web_path": "photos/aa/a.jpg"},
            {"role": "alternative", "web_path": "photos/bb/b.jpg", "sha256": "1" * 64},
        )
    )
    with sessions.begin() as session:
        event = operations.choose_main_photo(session, draft_id, ACTOR, index=2)
        assert event is not None
    with sessions.begin() as session:
        roles = [p.role for p in operations.get_draft(session, draft_id).photos]
        assert roles == ["alternative", "main"]


def test_reject_then_reopen_returns_to_review(
    sessions: sessionmaker[Session], rejected_id: int
) -> None:
    with sessions.begin() as session:
        assert operations.get_draft(session, rejected_id).status == DraftStatus.REJECTED
        operations.reopen(session, rejected_id, ACTOR)
    with sessions.begin() as session:
        actions = [e.action for e in operations.history(session, rejected_id)]
        assert actions == ["reject", "reopen"]
        assert operations.get_draft(session, rejected_id).status == DraftStatus.DRAFT


def test_reject_needs_a_reason(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build()
    with sessions.begin() as session, pytest.raises(InvalidField):
        operations.reject(session, draft_id, ACTOR, "  ")


def test_an_approved_practice_is_corrected_without_reopening_and_the_history_says_so(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build()
    with sessions.begin() as session:
        operations.approve(session, draft_id, ACTOR)
    with sessions.begin() as session:
        operations.edit_fields(session, draft_id, {"title": "Korjattu otsikko"}, ACTOR)
    with sessions.begin() as session:
        draft = operations.get_draft(session, draft_id)
        assert (draft.status, draft.title) == (DraftStatus.APPROVED, "Korjattu otsikko")
        last = operations.history(session, draft_id)[-1]
        assert (last.action, last.actor, last.changes["correction"]) == ("edit", ACTOR, True)


def test_a_rejected_draft_cannot_be_edited_before_reopening(
    sessions: sessionmaker[Session], rejected_id: int
) -> None:
    with sessions.begin() as session, pytest.raises(ReviewError, match="reopen"):
        operations.edit_fields(session, rejected_id, {"title": "Uusi"}, ACTOR)
