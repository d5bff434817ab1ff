"""Fixtures for integration tests: a fresh practice-inbox installation per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from devserver.dovecot import DovecotServer
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
