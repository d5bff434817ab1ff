"""Fixtures for integration tests: a fresh practice-inbox installation per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from devserver.dovecot import DovecotServer
from store.db import make_engine
from tests.integration.harness import Installation, new_installation
from tests.integration.webconsole import console_server, editor, open_page, second_editor

# The editors' console, served once per module that asks for it, and its logged-in browsers.
__all__ = ["console_server", "editor", "open_page", "second_editor"]


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
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of each kind; PostgreSQL gets a throwaway database of its own."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = request.getfixturevalue("postgres_database")
    created = make_engine(url)
    yield created
    created.dispose()
