"""Flag severity and dismissal: blocking flags stop approval until dismissed with a reason."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from core.vocabulary import DraftStatus
from review import operations
from review.errors import ApprovalBlocked, InvalidField, ReviewConflict, ReviewError
from tests.unit.review.conftest import Builder

ACTOR = "anna"


def test_a_blocking_flag_stops_approval_and_is_named_in_finnish(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(flags=("no_photo", "possible_duplicate"))
    with sessions.begin() as session, pytest.raises(ApprovalBlocked) as caught:
        operations.approve(session, draft_id, ACTOR)
    assert "mahdollinen kaksoiskappale" in str(caught.value)
    assert "ei kuvaa" not in str(caught.value)
    assert "possible duplicate" in caught.value.text("en")


def test_dismissing_with_a_reason_records_who_when_why_and_unblocks_approval(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(flags=("spam_verdict",))
    with sessions.begin() as session:
        event = operations.dismiss_flag(
            session, draft_id, "roskapostia", "Tunnettu lähettäjä", ACTOR
        )
        assert (event.action, event.changes, event.note) == (
            "dismiss",
            {"dismissed_flag": "spam_verdict"},
            "Tunnettu lähettäjä",
        )
    with sessions.begin() as session:
        [flag] = operations.get_draft(session, draft_id).flags
        assert not flag.is_open
        assert (flag.dismissed_by, flag.dismissal_reason) == (ACTOR, "Tunnettu lähettäjä")
        assert flag.dismissed_at is not None
        operations.approve(session, draft_id, "pekka")
    with sessions.begin() as session:
        assert operations.get_draft(session, draft_id).status == DraftStatus.APPROVED


@pytest.mark.parametrize("named", ["dmarc_fail", "DMARC-varmennus epäonnistui", "DMARC failed"])
def test_a_flag_is_dismissed_by_code_or_by_name_in_any_language(
    sessions: sessionmaker[Session], build: Builder, named: str
) -> None:
    draft_id = build(flags=("no_photo", "dmarc_fail"))
    with sessions.begin() as session:
        operations.dismiss_flag(session, draft_id, named, "Tarkistettu puhelimella", ACTOR)
        flags = {f.code: f.is_open for f in operations.get_draft(session, draft_id).flags}
        assert flags == {"no_photo": True, "dmarc_fail": False}


def test_a_flag_is_dismissed_by_its_id(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build(flags=("no_photo", "forwarded"))
    with sessions.begin() as session:
        forwarded = operations.get_draft(session, draft_id).flags[1]
        operations.dismiss_flag(session, draft_id, forwarded.id, "Välittäjä on kirjaamo", ACTOR)
        assert not forwarded.is_open


def test_dismissal_needs_a_reason(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build(flags=("spam_verdict",))
    with sessions.begin() as session, pytest.raises(InvalidField, match="miksi"):
        operations.dismiss_flag(session, draft_id, "spam_verdict", "  ", ACTOR)


def test_a_flag_cannot_be_dismissed_twice(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build(flags=("spam_verdict",))
    with sessions.begin() as session:
        operations.dismiss_flag(session, draft_id, "spam_verdict", "Ok", ACTOR)
    with sessions.begin() as session, pytest.raises(ReviewError, match="jo kuitattu"):
        operations.dismiss_flag(session, draft_id, "spam_verdict", "Taas", "pekka")


def test_an_unknown_flag_is_refused_listing_the_drafts_flags_by_name(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(flags=("no_photo",))
    with sessions.begin() as session, pytest.raises(InvalidField) as caught:
        operations.dismiss_flag(session, draft_id, "roskapostia", "Ok", ACTOR)
    assert "ei kuvaa" in str(caught.value)


def test_a_dismissal_on_a_stale_version_is_refused(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(flags=("spam_verdict", "no_photo"))
    with sessions.begin() as session:
        operations.dismiss_flag(session, draft_id, "no_photo", "Kuva tulossa", ACTOR)
    with sessions.begin() as session, pytest.raises(ReviewConflict):
        operations.dismiss_flag(
            session, draft_id, "spam_verdict", "Ok", "pekka", expected_version=1
        )


def test_force_without_a_note_is_refused(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build(flags=("sender_not_public_sector",))
    with sessions.begin() as session, pytest.raises(ApprovalBlocked, match="--note"):
        operations.approve(session, draft_id, ACTOR, force=True)


def test_force_with_a_note_dismisses_the_blocking_flags_with_the_note_as_reason(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(flags=("no_photo", "parse_defects", "fallback_parser"))
    with sessions.begin() as session:
        event = operations.approve(
            session, draft_id, ACTOR, force=True, note="Verrattu alkuperäiseen"
        )
        assert event.changes["forced"] is True
        assert event.changes["open_flags"] == ["parse_defects", "fallback_parser"]
    with sessions.begin() as session:
        flags = {f.code: f for f in operations.get_draft(session, draft_id).flags}
        assert flags["no_photo"].is_open
        assert flags["parse_defects"].dismissal_reason == "Verrattu alkuperäiseen"
        assert flags["fallback_parser"].dismissed_by == ACTOR


def test_the_flag_filter_finds_only_drafts_where_the_flag_is_still_open(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    open_one = build(flags=("spam_verdict",))
    dismissed = build(flags=("spam_verdict",))
    with sessions.begin() as session:
        operations.dismiss_flag(session, dismissed, "spam_verdict", "Ok", ACTOR)
    with sessions.begin() as session:
        found = operations.list_drafts(session, flag="roskapostia")
        assert [d.id for d in found] == [open_one]
