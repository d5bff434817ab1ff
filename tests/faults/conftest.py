"""Fixtures of the fault suite: a fresh practice-inbox per test and the session's fault tally.

The long form runs with PRACTICES_LONG_FAULTS=1: more trials, and the tests marked `slow` run too.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from devserver.dovecot import DovecotServer
from tests.faults.faultkit import LONG, PASSWORD_ENV, TALLY, FaultInstallation
from tests.faults.proxy import FaultProxy


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow fault tests belong to the long form only."""
    if LONG or os.environ.get("PRACTICES_LONG_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="long fault form: set PRACTICES_LONG_FAULTS=1")
    here = Path(__file__).parent
    for item in items:
        if "slow" in item.keywords and here in Path(str(item.fspath)).parents:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TALLY.trials:
        return
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(TALLY.kinds.items()))
    terminalreporter.write_line(
        f"fault suite: {TALLY.trials} trials, {TALLY.faults} faults injected ({kinds}), "
        f"{TALLY.messages} messages, lost {TALLY.lost}, doubled {TALLY.doubled}"
    )


@pytest.fixture
def inst(
    dovecot: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FaultInstallation]:
    """A practice-inbox on its own IMAP user and SQLite file, configured for plain IMAP."""
    user = f"f{uuid.uuid4().hex[:10]}"
    dovecot.add_user(user, "pw-" + user)
    monkeypatch.setenv(PASSWORD_ENV, "pw-" + user)
    installation = FaultInstallation(dovecot, user, tmp_path)
    installation.configure()
    assert installation.cli("db", "upgrade") == 0
    yield installation


@pytest.fixture
def imap_proxy(dovecot: DovecotServer) -> Iterator[FaultProxy]:
    """A fault proxy in front of Dovecot's plain IMAP port."""
    with FaultProxy(dovecot.host, dovecot.imap_port) as proxy:
        yield proxy


@pytest.fixture
def imaps_proxy(dovecot: DovecotServer) -> Iterator[FaultProxy]:
    """A fault proxy in front of Dovecot's IMAPS port (byte faults only: it cannot read TLS)."""
    with FaultProxy(dovecot.host, dovecot.imaps_port) as proxy:
        yield proxy
