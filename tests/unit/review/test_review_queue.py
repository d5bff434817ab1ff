"""The console's queue: search by base forms in Finnish and Swedish, filters, counts, pages,
on SQLite and (when PRACTICES_TEST_DATABASE_URL is set) PostgreSQL alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from review import operations
from review.errors import InvalidField
from review.queue import QueueFilters, queue_page
from tests.unit.review.conftest import Builder


def _titles(sessions: sessionmaker[Session], **filters: object) -> list[str]:
    with sessions() as session:
        page = queue_page(session, QueueFilters(**filters))  # type: ignore[arg-type]
        return [row.title for row in page.rows]


def test_a_finnish_base_form_finds_its_inflected_forms(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    build(title="Asukasiltojen striimaus", what_and_why="Striimasimme illat.")
    build(title="Budjettipaja", what_and_why="Nuoret päättivät rahoista asukasillassa.")
    build(title="Selkokieli", what_and_why="Kirjoitimme ohjeet selkokielellä.")
    assert _titles(sessions, search="asukasilta") == ["Budjettipaja", "Asukasiltojen striimaus"]
    assert _titles(sessions, search="ilta") == ["Budjettipaja", "Asukasiltojen striimaus"]
    assert _titles(sessions, search="selkokieli ohje") == ["Selkokieli"]


def test_a_swedish_word_finds_its_forms_in_a_swedish_draft(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    build(title="Budgetverkstad", language="sv", what_and_why="Kommunens unga röstade.")
    build(title="Avoin data", what_and_why="Julkaisimme datan.")
    assert _titles(sessions, search="kommun") == ["Budgetverkstad"]
    assert _titles(sessions, search="kommuner") == ["Budgetverkstad"]


def test_an_edit_updates_the_search_index(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build(title="Vanha otsikko")
    with sessions.begin() as session:
        operations.edit_fields(session, draft_id, {"title": "Kirjastojen lukupiiri"}, "anna")
    assert _titles(sessions, search="kirjasto") == ["Kirjastojen lukupiiri"]
    assert _titles(sessions, search="vanha") == []


def test_newest_first_by_default_with_counts_by_status_and_pages(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    for day in range(1, 8):
        build(title=f"Päivä {day}", sent_at=datetime(2026, 5, day, tzinfo=UTC))
    with sessions.begin() as session:
        operations.reject(session, 1, "anna", "ei kokemus")
    with sessions() as session:
        first = queue_page(session, QueueFilters(status="draft"), page=1, per_page=4)
        second = queue_page(session, QueueFilters(status="draft"), page=2, per_page=4)
        oldest = queue_page(session, QueueFilters(oldest_first=True), per_page=2)
    assert [r.title for r in first.rows] == ["Päivä 7", "Päivä 6", "Päivä 5", "Päivä 4"]
    assert [r.title for r in second.rows] == ["Päivä 3", "Päivä 2"]
    assert (first.total, first.pages, first.counts) == (6, 2, {"draft": 6, "rejected": 1})
    assert [r.title for r in oldest.rows] == ["Päivä 1", "Päivä 2"]


def test_filters_by_theme_flag_organisation_and_month(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    build(
        title="A", theme="open_data", flags=("no_photo",), sent_at=datetime(2026, 4, 2, tzinfo=UTC)
    )
    build(title="B", organisation="Oulun kaupunki", sent_at=datetime(2026, 5, 2, tzinfo=UTC))
    assert _titles(sessions, theme="avoin data") == ["A"]
    assert _titles(sessions, flag="ei kuvaa") == ["A"]
    assert _titles(sessions, organisation="oulu") == ["B"]
    assert _titles(sessions, month="2026-04") == ["A"]
    blocked = build(title="C", flags=("spam_verdict", "no_photo"))
    with sessions() as session:
        row = next(r for r in queue_page(session, QueueFilters()).rows if r.id == blocked)
    assert row.blocked and row.open_flags == ("spam_verdict", "no_photo")


def test_a_filter_that_names_nothing_is_refused_in_words(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    build()
    with sessions() as session, pytest.raises(InvalidField, match="Tuntematon teema"):
        queue_page(session, QueueFilters(theme="sääntö"))


@pytest.mark.postgres
def test_the_search_works_the_same_on_postgresql(pg_sessions: sessionmaker[Session]) -> None:
    from store.models import InboundMessage, PracticeDraft

    with pg_sessions.begin() as session:
        for number, title in enumerate(("Asukasiltojen striimaus", "Kommunens budget")):
            session.add(
                PracticeDraft(
                    inbound=InboundMessage(
                        mailbox="a", raw_sha256=f"{number}" * 64, raw_size=1, outcome="draft"
                    ),
                    title=title,
                    language="sv" if "Kommunens" in title else "fi",
                )
            )
    assert _titles(pg_sessions, search="asukasilta") == ["Asukasiltojen striimaus"]
    assert _titles(pg_sessions, search="kommun") == ["Kommunens budget"]


def test_a_huge_text_is_indexed_only_up_to_its_bound() -> None:
    from store.draft_index import MAX_INDEXED_WORDS, text_terms

    flood = " ".join(f"sana{number}" for number in range(MAX_INDEXED_WORDS * 4))
    terms = text_terms({"what_and_why": flood}, "fi")
    assert 0 < len(terms) <= MAX_INDEXED_WORDS * 6
