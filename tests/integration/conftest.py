"""Fixtures for integration tests: a fresh practice-inbox installation per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from devserver.dovecot import DovecotServer
from store.db import make_engine
from tests.integration.harness import Installation, new_installation


@pytest.fixture
def installation(
    dovecot: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Installation:
    """A practice-inbox with its own IMAP user, data dir and upgraded SQLite schema."""
    return new_installation(dovecot, tmp_path, monkeypatch.setenv)


@pytest.fixture
def inst(installation: Installation) -> Installation:
    """Short name for `installation`, used throughout the poll tests."""
    return installation


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_url: str | None
) -> Iterator[Engine]:
    """An empty database of each kind; PostgreSQL gets a throwaway database of its own."""
    if request.param == "sqlite":
        created = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        yield created
        created.dispose()
        return
    if postgres_url is None:
        pytest.skip("PRACTICES_TEST_DATABASE_URL is not set")
    name = f"practices_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    created = make_engine(make_url(postgres_url).set(database=name).render_as_string(False))
    try:
        yield created
    finally:
        created.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
