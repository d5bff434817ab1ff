"""Fixtures of the hostile-input suite: a practice-inbox on Dovecot (as in the integration tests)
and a table of the time and memory each hostile message cost, printed after the run.
"""

from __future__ import annotations

import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

from harness import Installation, write_config

from devserver.dovecot import DovecotServer

# name -> (outcome, wall seconds, peak resident MB of the import process)
COSTS: dict[str, tuple[str, float, float]] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not COSTS:
        return
    terminalreporter.write_line("hostile input: case, outcome, wall time, peak memory")
    for name, (outcome, seconds, megabytes) in COSTS.items():
        terminalreporter.write_line(
            f"  {name:20s} {outcome:7s} {seconds:6.2f} s {megabytes:6.0f} MB"
        )


@pytest.fixture
def inst(
    dovecot: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Installation]:
    """A practice-inbox with its own IMAP user, data dir and upgraded SQLite schema."""
    user = f"h{uuid.uuid4().hex[:10]}"
    dovecot.add_user(user, "pw-" + user)
    password_env = "PRACTICES_TEST_IMAP_PASSWORD"
    monkeypatch.setenv(password_env, "pw-" + user)
    config = tmp_path / "practices.toml"
    write_config(config, dovecot, user, password_env)
    installation = Installation(dovecot, user, config, password_env)
    assert installation.cli("db", "upgrade") == 0
    yield installation
