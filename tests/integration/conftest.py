"""Fixtures for integration tests: a fresh practice-inbox installation per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from harness import Installation, write_config

from devserver.dovecot import DovecotServer


@pytest.fixture
def installation(
    dovecot: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Installation]:
    """A practice-inbox with its own IMAP user, data dir and upgraded SQLite schema."""
    user = f"u{uuid.uuid4().hex[:10]}"
    dovecot.add_user(user, "pw-" + user)
    password_env = "PRACTICES_TEST_IMAP_PASSWORD"
    monkeypatch.setenv(password_env, "pw-" + user)
    config = tmp_path / "practices.toml"
    write_config(config, dovecot, user, password_env)
    inst = Installation(dovecot, user, config, password_env)
    assert inst.cli("db", "upgrade") == 0
    yield inst


@pytest.fixture
def inst(installation: Installation) -> Installation:
    """Short name for `installation`, used throughout the poll tests."""
    return installation
