"""Optimistic locking: a second editor working from an old version gets a clear conflict."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from review import operations
from review.errors import ReviewConflict
from store.models import InboundMessage, PracticeDraft
from tests.unit.review.conftest import Builder


def test_second_of_two_sessions_gets_conflict_and_first_change_survives(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(title="Alkuperäinen")
    first, second = sessions(), sessions()
    try:
        # Both editors hold the draft as they loaded it (the identity map keeps weak references).
        with first.begin():
            seen_by_first = operations.get_draft(first, draft_id)
        with second.begin():
            seen_by_second = operations.get_draft(second, draft_id)
        with first.begin():
            operations.edit_fields(first, draft_id, {"title": "Annan otsikko"}, "anna")
        with pytest.raises(ReviewConflict) as caught, second.begin():
            operations.edit_fields(second, draft_id, {"title": "Pekan otsikko"}, "pekka")
        assert seen_by_first.version == 2
        # The failed unit of work was rolled back, so reloading shows the other editor's change.
        with second.begin():
            assert seen_by_second.title == "Annan otsikko"
    finally:
        first.close()
        second.close()
    message = str(caught.value)
    assert message.startswith("Toinen toimittaja muutti luonnosta")
    assert "anna" in message
    assert "Lataa luonnos uudelleen" in message
    with sessions.begin() as session:
        assert operations.get_draft(session, draft_id).title == "Annan otsikko"


def test_expected_version_older_than_the_draft_is_refused(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build()
    with sessions.begin() as session:
        operations.set_theme(session, draft_id, "open_data", "anna")
    with pytest.raises(ReviewConflict) as caught, sessions.begin() as session:
        operations.approve(session, draft_id, "pekka", expected_version=1)
    assert "versio 1 → 2" in str(caught.value)
    assert "Another editor" in caught.value.text("en")


@pytest.mark.postgres
def test_concurrent_transactions_on_postgresql_end_in_conflict(
    pg_sessions: sessionmaker[Session],
) -> None:
    with pg_sessions.begin() as session:
        draft = PracticeDraft(
            inbound=InboundMessage(
                mailbox="avoinhallinto", raw_sha256="f" * 64, raw_size=1, outcome="draft"
            ),
            title="Alkuperäinen",
        )
        session.add(draft)
        session.flush()
        draft_id = draft.id
    first, second = pg_sessions(), pg_sessions()
    try:
        with first.begin(), second.begin():
            operations.get_draft(first, draft_id)
            held = operations.get_draft(second, draft_id)
            operations.edit_fields(first, draft_id, {"title": "Annan"}, "anna")
            first.commit()
            with pytest.raises(ReviewConflict, match="anna"):
                operations.edit_fields(second, draft_id, {"title": "Pekan"}, "pekka")
            assert held.title == "Alkuperäinen"
    finally:
        first.close()
        second.close()
    with pg_sessions.begin() as session:
        assert operations.get_draft(session, draft_id).title == "Annan"
