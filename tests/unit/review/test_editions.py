"""Newsletter editions: one a month, approved practices only, each once, in the editors' order,
with an intro; a practice an earlier edition had is marked."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session, sessionmaker

from review import editions, operations
from review.editions import EditionEntry, EditionNotFound
from review.errors import DraftNotFound, InvalidField, ReviewError
from tests.unit.review.conftest import Builder


@pytest.fixture
def approved(sessions: sessionmaker[Session], build: Builder) -> list[int]:
    ids = [build(title=f"Käytäntö {n}", subject=f"aihe {n}") for n in range(1, 5)]
    with sessions.begin() as session:
        for draft_id in ids:
            operations.approve(session, draft_id, "eeva")
        editions.new_edition(session, "2025-05", "eeva")
    return ids


def add(
    sessions: sessionmaker[Session], ids: list[int], month: str = "2025-05"
) -> list[EditionEntry]:
    """Add the practices `ids` to the edition of `month`, in a transaction of their own."""
    with sessions.begin() as session:
        return editions.add_practices(session, month, ids, "eeva")


def order(sessions: sessionmaker[Session], month: str = "2025-05") -> list[int]:
    with sessions.begin() as session:
        edition = editions.get_edition(session, month)
        return [item.draft_id for item in edition.items]


def test_practices_are_added_in_the_order_given(
    sessions: sessionmaker[Session], approved: list[int]
) -> None:
    with sessions.begin() as session:
        editions.add_practices(session, "2025-05", [approved[2], approved[0]], "eeva")
        editions.add_practices(session, "2025-05", [approved[1]], "eeva")
    assert order(sessions) == [approved[2], approved[0], approved[1]]


def test_a_practice_cannot_be_added_twice_and_nothing_of_the_refused_call_is_added(
    sessions: sessionmaker[Session], approved: list[int]
) -> None:
    add(sessions, [approved[0]])
    with pytest.raises(InvalidField, match="jo uutiskirjeessä"):
        add(sessions, [approved[1], approved[0]])
    with pytest.raises(InvalidField, match="monta kertaa"):
        add(sessions, [approved[2], approved[2]])
    assert order(sessions) == [approved[0]]


def test_only_approved_practices_can_be_added(
    sessions: sessionmaker[Session], build: Builder, approved: list[int]
) -> None:
    draft = build(title="Kesken", subject="kesken")
    with pytest.raises(InvalidField, match="ei ole hyväksytty"):
        add(sessions, [approved[0], draft])
    with pytest.raises(DraftNotFound):
        add(sessions, [9999])
    assert order(sessions) == []


def test_order_puts_the_given_practices_first_and_keeps_the_rest(
    sessions: sessionmaker[Session], approved: list[int]
) -> None:
    add(sessions, approved)
    with sessions.begin() as session:
        editions.order_practices(session, "2025-05", [approved[3], approved[1]], "eeva")
    assert order(sessions) == [approved[3], approved[1], approved[0], approved[2]]


def test_remove_takes_a_practice_out_and_keeps_the_order(
    sessions: sessionmaker[Session], approved: list[int]
) -> None:
    add(sessions, approved[:3])
    with sessions.begin() as session:
        editions.remove_practices(session, "2025-05", [approved[1]], "eeva")
    assert order(sessions) == [approved[0], approved[2]]
    with sessions.begin() as session, pytest.raises(InvalidField, match="ei ole uutiskirjeessä"):
        editions.remove_practices(session, "2025-05", [approved[3]], "eeva")
    add(sessions, [approved[1]])
    assert order(sessions) == [approved[0], approved[2], approved[1]]


def test_a_practice_in_an_earlier_edition_is_marked(
    sessions: sessionmaker[Session], approved: list[int]
) -> None:
    with sessions.begin() as session:
        editions.new_edition(session, "2025-04", "eeva")
        editions.add_practices(session, "2025-04", [approved[0]], "eeva")
        editions.new_edition(session, "2025-06", "eeva")
        editions.add_practices(session, "2025-06", [approved[0]], "eeva")
    added = add(sessions, [approved[0], approved[1]])
    assert [entry.earlier for entry in added] == [("2025-04",), ()]
    with sessions.begin() as session:
        june = editions.get_edition(session, "2025-06")
        [entry] = editions.entries(session, june)
    assert entry.earlier == ("2025-04", "2025-05")


def test_a_withdrawn_practice_stays_listed_but_is_known_as_not_approved(
    sessions: sessionmaker[Session], approved: list[int]
) -> None:
    with sessions.begin() as session:
        editions.add_practices(session, "2025-05", [approved[0]], "eeva")
        operations.reopen(session, approved[0], "eeva")
    with sessions.begin() as session:
        [entry] = editions.entries(session, editions.get_edition(session, "2025-05"))
    assert not entry.approved


def test_one_edition_per_month_and_months_are_checked(
    sessions: sessionmaker[Session], approved: list[int]
) -> None:
    with sessions.begin() as session, pytest.raises(ReviewError, match="on jo olemassa"):
        editions.new_edition(session, "2025-05", "eeva")
    with sessions.begin() as session, pytest.raises(InvalidField):
        editions.new_edition(session, "toukokuu", "eeva")
    with sessions.begin() as session, pytest.raises(EditionNotFound) as caught:
        editions.get_edition(session, "2025-07")
    assert "practices newsletter new 2025-07" in str(caught.value)


def test_the_intro_is_kept_as_written(sessions: sessionmaker[Session], approved: list[int]) -> None:
    with sessions.begin() as session:
        editions.set_intro(session, "2025-05", "  Hei!\n\nToinen kappale.\n", "anna")
    with sessions.begin() as session:
        edition = editions.get_edition(session, "2025-05")
        assert (edition.intro, edition.updated_by) == ("Hei!\n\nToinen kappale.", "anna")
