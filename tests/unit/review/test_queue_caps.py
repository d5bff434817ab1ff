"""The queue with a search or flag filter that matches more drafts than it counts: each status
is counted up to the cap (the console then says "yli 1 000"), and the rows, their order and the
pages are the same as when every match is counted. The cap is lowered to 2 here."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from review import operations, queue_plan
from review.queue import QueueFilters, QueuePage, queue_page
from tests.unit.review.conftest import Builder

WORD = "Järjestimme asukasiltoja verkossa."


@pytest.fixture(autouse=True)
def cap_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(queue_plan, "COUNT_CAP", 2)


def _five_matches_and_one_other(sessions: sessionmaker[Session], build: Builder) -> None:
    """Days 1-5 mention the word (days 1 and 2 rejected, the rest drafts); day 6 does not."""
    for day in range(1, 7):
        build(
            title=f"Päivä {day}",
            what_and_why=WORD if day <= 5 else "Kirjoitimme ohjeet selkokielellä.",
            flags=("no_photo",) if day <= 5 else (),
            sent_at=datetime(2026, 5, day, tzinfo=UTC),
        )
    with sessions.begin() as session:
        for draft_id in (1, 2):
            operations.reject(session, draft_id, "anna", "ei kokemus")


def _page(sessions: sessionmaker[Session], filters: QueueFilters, **args: int) -> QueuePage:
    with sessions() as session:
        return queue_page(session, filters, **args)


def test_a_count_past_the_cap_says_the_cap_and_that_there_are_more(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    _five_matches_and_one_other(sessions, build)
    found = _page(sessions, QueueFilters(search="asukasilta"))
    assert (found.counts, found.over) == ({"draft": 2, "rejected": 2}, frozenset({"draft"}))
    assert (found.total, found.total_over) == (4, True)
    drafts = _page(sessions, QueueFilters(status="rejected", search="asukasilta"))
    assert (drafts.total, drafts.total_over) == (2, False)


def test_the_flag_filter_past_the_cap_is_counted_the_same_way(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    _five_matches_and_one_other(sessions, build)
    found = _page(sessions, QueueFilters(status="draft", flag="no_photo"))
    assert (found.counts, found.over) == ({"draft": 2, "rejected": 2}, frozenset({"draft"}))
    assert [row.title for row in found.rows] == ["Päivä 5", "Päivä 4", "Päivä 3"]


@pytest.mark.parametrize("hashed_set_rows", [0, 20_000], ids=["probed", "read-once"])
@pytest.mark.parametrize(
    "filters",
    [
        QueueFilters(search="asukasilta"),
        QueueFilters(status="draft", search="asukasilta"),
        QueueFilters(flag="ei kuvaa", oldest_first=True),
        QueueFilters(search="asukasilta verkko", flag="no_photo"),
    ],
)
def test_rows_order_and_pages_past_the_cap_are_those_of_an_exact_count(
    sessions: sessionmaker[Session],
    build: Builder,
    monkeypatch: pytest.MonkeyPatch,
    filters: QueueFilters,
    hashed_set_rows: int,
) -> None:
    _five_matches_and_one_other(sessions, build)
    monkeypatch.setattr(queue_plan, "COUNT_CAP", 1000)
    numbers = range(1, _page(sessions, filters, per_page=2).pages + 1)
    exact = [_page(sessions, filters, page=number, per_page=2) for number in numbers]
    monkeypatch.setattr(queue_plan, "COUNT_CAP", 2)
    monkeypatch.setattr(queue_plan, "HASHED_SET_ROWS", hashed_set_rows)
    capped = [_page(sessions, filters, page=number, per_page=2) for number in numbers]
    assert [p.rows for p in capped] == [p.rows for p in exact]
    assert all(p.total_over for p in capped) and not any(p.total_over for p in exact)


def test_pages_past_the_cap_go_on_while_there_are_rows(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    _five_matches_and_one_other(sessions, build)
    pages = [
        _page(sessions, QueueFilters(search="asukasilta"), page=number, per_page=2)
        for number in (1, 2, 3)
    ]
    assert [(p.page, p.pages, len(p.rows)) for p in pages] == [(1, 2, 2), (2, 3, 2), (3, 3, 1)]


def test_a_page_past_the_end_of_a_capped_result_is_empty_and_the_last_known(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    _five_matches_and_one_other(sessions, build)
    beyond = _page(sessions, QueueFilters(search="asukasilta"), page=9, per_page=2)
    assert (beyond.rows, beyond.page, beyond.pages) == ([], 9, 9)


def test_a_word_within_the_cap_keeps_every_count_exact(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    _five_matches_and_one_other(sessions, build)
    build(title="Oma", what_and_why=WORD + " Kirjasto lainasi tabletteja.")
    found = _page(sessions, QueueFilters(search="kirjasto asukasilta"))
    assert (found.counts, found.over, found.total_over) == ({"draft": 1}, frozenset(), False)
    assert [row.title for row in found.rows] == ["Oma"]


@pytest.mark.postgres
def test_the_capped_queue_works_the_same_on_postgresql(
    pg_sessions: sessionmaker[Session],
) -> None:
    from store.models import DraftFlag, InboundMessage, PracticeDraft

    with pg_sessions.begin() as session:
        for day in range(1, 6):
            session.add(
                PracticeDraft(
                    inbound=InboundMessage(
                        mailbox="a", raw_sha256=f"{day}" * 64, raw_size=1, outcome="draft"
                    ),
                    title=f"Päivä {day}",
                    what_and_why=WORD,
                    language="fi",
                    received_at=datetime(2026, 5, day, tzinfo=UTC),
                    flags=[DraftFlag(code="no_photo", params={})],
                )
            )
    for filters in (QueueFilters(search="asukasilta"), QueueFilters(flag="no_photo")):
        found = _page(pg_sessions, filters, per_page=2)
        assert (found.counts, found.over, found.pages) == ({"draft": 2}, frozenset({"draft"}), 2)
        assert [row.title for row in found.rows] == ["Päivä 5", "Päivä 4"]
