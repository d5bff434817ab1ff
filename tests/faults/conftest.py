"""Fixtures of the fault suite: a fresh practice-inbox per test and the session's fault tally.

The long form runs with PRACTICES_LONG_FAULTS=1: more trials, and the tests marked `slow` run too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from devserver.dovecot import DovecotServer
from tests.faults.faultkit import LONG, PASSWORD_ENV, TALLY, FaultInstallation
from tests.faults.proxy import FaultProxy
from tests.integration.harness import new_imap_user, upgraded


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
) -> FaultInstallation:
    """A practice-inbox on its own IMAP user and SQLite file, configured for plain IMAP."""
    user = new_imap_user(dovecot, monkeypatch.setenv, "f", PASSWORD_ENV)
    return upgraded(FaultInstallation(dovecot, user, tmp_path))


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


@pytest.fixture
def postgres_behind_proxy(postgres_database: str) -> Iterator[tuple[str, FaultProxy]]:
    """A throwaway PostgreSQL database reached through a fault proxy: (URL via the proxy,
    proxy)."""
    url = make_url(postgres_database)
    with FaultProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        via_proxy = url.set(host="127.0.0.1", port=proxy.port)
        yield via_proxy.render_as_string(hide_password=False), proxy
