"""Fixtures of the hostile-input suite: a practice-inbox on Dovecot (as in the integration tests)
and a table of the time and memory each hostile message cost, printed after the run.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devserver.dovecot import DovecotServer
from tests.integration.harness import Installation, new_installation

# name -> (outcome, CPU seconds of the import and its workers, peak resident MB among them)
COSTS: dict[str, tuple[str, float, float]] = {}


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not COSTS:
        return
    terminalreporter.write_line(
        "hostile input: case, outcome, CPU time (command and workers), peak memory"
    )
    for name, (outcome, seconds, megabytes) in COSTS.items():
        terminalreporter.write_line(
            f"  {name:20s} {outcome:7s} {seconds:6.2f} s CPU {megabytes:6.0f} MB"
        )


@pytest.fixture
def inst(dovecot: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Installation:
    """A practice-inbox with its own IMAP user, data dir and upgraded SQLite schema."""
    return new_installation(dovecot, tmp_path, monkeypatch.setenv, prefix="h")
