"""The store on SQLite and, when PRACTICES_TEST_DATABASE_URL is set, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect
from sqlalchemy.exc import IntegrityError

from core.config import DatabaseSettings, Settings, StorageSettings
from store import reports, schema
from store.app import App
from store.db import read_only_session_factory, session_factory
from store.files import BlobStore
from store.models import Base, InboundMessage, PracticeDraft
from tests.mail import submission


def test_migrations_build_exactly_the_models(engine: Engine) -> None:
    schema.upgrade(engine)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_migrations_go_down_and_up_again(engine: Engine) -> None:
    schema.upgrade(engine)
    schema.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.HEAD_REVISION


def inbound(**overrides: object) -> InboundMessage:
    values: dict[str, object] = {
        "mailbox": "avoinhallinto",
        "uidvalidity": 7,
        "uid": 1,
        "raw_sha256": "a" * 64,
        "raw_size": 10,
        "outcome": "draft",
    }
    values.update(overrides)
    return InboundMessage(**values)


def test_one_inbound_row_per_raw_hash(engine: Engine) -> None:
    schema.upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        session.add(inbound(uid=1))
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(inbound(uid=2))


def test_one_inbound_row_per_mailbox_uidvalidity_uid(engine: Engine) -> None:
    schema.upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        session.add(inbound(raw_sha256="b" * 64))
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(inbound(raw_sha256="c" * 64))


def test_at_most_one_draft_per_inbound_row(engine: Engine) -> None:
    schema.upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        row = inbound()
        session.add(row)
        session.flush()
        session.add(PracticeDraft(inbound_id=row.id))
    with pytest.raises(IntegrityError), sessions.begin() as session:
        session.add(PracticeDraft(inbound_id=row.id))


def test_times_come_back_aware_in_utc(engine: Engine) -> None:
    schema.upgrade(engine)
    sessions = session_factory(engine)
    sent = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    with sessions.begin() as session:
        session.add(inbound(sent_at=sent))
    with sessions() as session:
        row = session.query(InboundMessage).one()
        assert row.sent_at == sent and row.sent_at.tzinfo is not None


def test_importing_a_message_twice_records_it_once(engine: Engine, tmp_path: Path) -> None:
    from ingest.pipeline import Arrival, Pipeline

    schema.upgrade(engine)
    settings = Settings(
        source="test",
        database=DatabaseSettings(url=str(engine.url)),
        storage=StorageSettings(data_dir=tmp_path / "data"),
    )
    app = App(
        settings,
        engine,
        session_factory(engine),
        BlobStore(settings.data_dir),
        read_only_session_factory(engine),
    )
    pipeline = Pipeline(app)
    raw = submission()
    [first] = pipeline.ingest_batch([Arrival(raw, "import")])
    [second] = pipeline.ingest_batch([Arrival(raw, "import")])
    assert first.outcome.value == "draft" and not first.known_before
    assert second.known_before and second.inbound_id == first.inbound_id
    with app.sessions() as session:
        assert session.query(InboundMessage).count() == 1
        assert session.query(PracticeDraft).count() == 1


def _recorded(engine: Engine) -> None:
    """Three messages of one mailbox (a draft, a failure with its raw, one too large to fetch)
    and one of a mailbox no longer configured."""
    schema.upgrade(engine)
    with session_factory(engine).begin() as session:
        session.add_all(
            [
                inbound(uid=1, raw_path="raw/a.eml"),
                inbound(uid=2, raw_sha256="b" * 64, outcome="failed", raw_path="raw/b.eml"),
                inbound(uid=3, raw_sha256=None, outcome="failed", raw_path=""),
                inbound(mailbox="vanha", raw_sha256="d" * 64, outcome="ignored"),
            ]
        )


def test_status_counts_every_outcome_and_shows_mailboxes_no_longer_configured(
    engine: Engine,
) -> None:
    _recorded(engine)
    with session_factory(engine)() as session:
        statuses = reports.mailbox_statuses(session, ["avoinhallinto", "uusi"])
    assert [(s.mailbox, s.configured) for s in statuses] == [
        ("avoinhallinto", True),
        ("uusi", True),
        ("vanha", False),
    ]
    assert statuses[0].counts == {"draft": 1, "ignored": 0, "failed": 2}
    assert statuses[1].counts == {"draft": 0, "ignored": 0, "failed": 0}
    assert statuses[1].last_success_at is None


def test_only_failures_with_their_raw_kept_can_be_retried(engine: Engine) -> None:
    _recorded(engine)
    with session_factory(engine)() as session:
        failed = [row.id for row in reports.inbound_messages(session, outcome="failed")]
        assert reports.retryable_ids(session) == failed[:1]
        assert reports.retryable_ids(session, failed[1]) == []
        assert len(reports.inbound_messages(session)) == 4
