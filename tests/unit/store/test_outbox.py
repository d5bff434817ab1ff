"""The outbox's rows: one mail per event, claimed one at a time, a crash's leftover again."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import Session, sessionmaker

from core.vocabulary import MailKind
from store import outbox
from store.db import session_factory
from tests.schema import create_schema

NOW = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
LEASE = timedelta(minutes=5)


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = create_engine(f"sqlite:///{tmp_path / 'outbox.db'}")
    create_schema(engine)
    yield session_factory(engine)
    engine.dispose()


def queue(session: Session, to: str = "maija@vm.fi", key: str | None = None) -> int | None:
    row = outbox.enqueue(
        session,
        kind=MailKind.ACKNOWLEDGEMENT,
        recipients=[to],
        domain="vm.fi",
        context={"reference": "AH-2026-00001"},
        dedup_key=key,
        now=NOW,
    )
    return row.id if row else None


def test_one_event_queues_one_mail_however_often_it_is_queued(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        assert queue(session, key="acknowledgement:draft:1") is not None
        assert queue(session, key="acknowledgement:draft:1") is None
    with sessions() as session:
        assert len(outbox.mails(session)) == 1


def test_every_mail_gets_its_own_message_id_of_ours_when_queued(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        queue(session)
        queue(session)
        ids = [row.message_id for row in outbox.mails(session)]
    assert len(set(ids)) == 2
    assert all(
        i.startswith("practice-inbox.acknowledgement.") and i.endswith("@vm.fi") for i in ids
    )


def test_the_daily_count_is_per_address_whatever_its_case(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        queue(session, to="Maija@VM.fi")
        queue(session, to="other@vm.fi")
        since = NOW - timedelta(hours=24)
        assert outbox.queued_since(session, MailKind.ACKNOWLEDGEMENT, "maija@vm.fi", since) == 1
        later = NOW + timedelta(seconds=1)
        assert outbox.queued_since(session, MailKind.ACKNOWLEDGEMENT, "maija@vm.fi", later) == 0


def test_a_claimed_mail_is_not_claimed_again_while_its_claim_holds(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        first = queue(session)
        queue(session)
    with sessions.begin() as session:
        claimed = outbox.claim_next(session, "host:1", LEASE, now=NOW)
        assert claimed is not None and claimed.id == first
        assert (claimed.status, claimed.attempts) == ("sending", 1)
    with sessions.begin() as session:
        other = outbox.claim_next(session, "host:2", LEASE, now=NOW)
        assert other is not None and other.id != first
        assert outbox.claim_next(session, "host:2", LEASE, now=NOW) is None


def test_a_mail_left_sending_by_a_dead_claimer_comes_first_and_keeps_its_message_id(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        queue(session)
        queue(session)
    with sessions.begin() as session:
        crashed = outbox.claim_next(session, "host:1", LEASE, now=NOW)
        assert crashed is not None
        crashed_id, message_id = crashed.id, crashed.message_id
    with sessions.begin() as session:
        assert outbox.in_flight_claimers(session) == ["host:1"]
        again = outbox.claim_next(session, "host:2", LEASE, dead_claimers=["host:1"], now=NOW)
        assert again is not None
        assert (again.id, again.message_id, again.attempts) == (crashed_id, message_id, 2)


def test_a_mail_whose_claim_expired_is_claimed_again(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        queue(session)
        assert outbox.claim_next(session, "elsewhere:1", LEASE, now=NOW) is not None
    with sessions.begin() as session:
        assert outbox.claim_next(session, "host:2", LEASE, now=NOW + LEASE / 2) is None
        assert outbox.claim_next(session, "host:2", LEASE, now=NOW + LEASE * 2) is not None


def test_a_mail_waiting_for_its_retry_is_not_due_before_its_time(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        queue(session)
        row = outbox.claim_next(session, "host:1", LEASE, now=NOW)
        assert row is not None
        outbox.mark_retry(session, row, "451 try later", NOW + timedelta(minutes=2))
        assert outbox.claim_next(session, "host:1", LEASE, now=NOW + timedelta(minutes=1)) is None
        assert outbox.claim_next(session, "host:1", LEASE, now=NOW + timedelta(minutes=2))


def test_a_failed_mail_is_sent_again_only_when_retried_by_hand(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        mail_id = queue(session)
        row = outbox.claim_next(session, "host:1", LEASE, now=NOW)
        assert row is not None and mail_id is not None
        outbox.mark_failed(session, row, "550 no such user")
        assert outbox.claim_next(session, "host:1", LEASE, now=NOW + timedelta(days=9)) is None
        assert outbox.depth(session)["failed"] == 1
        assert outbox.retry(session, mail_id, now=NOW) is not None
        assert outbox.claim_next(session, "host:1", LEASE, now=NOW) is not None
