"""Two daemons, one mailbox: on PostgreSQL one polls (and IDLEs) and the other stands by and
takes over when the first is killed; on SQLite the second is refused. Nothing lost, nothing
doubled, verify holds.
And a database outage under a running daemon: one log line per attempt, then it carries on.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from store.models import InboundMessage
from tests.faults.faultkit import TALLY, FaultInstallation, assert_exactly_once, messages
from tests.faults.proxy import FaultProxy
from tests.integration.daemon import RunningDaemon

pytestmark = pytest.mark.dovecot

COUNT = 200
INTERVAL_SECONDS = 1


def recorded(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(select(func.count()).select_from(InboundMessage)) or 0)
    finally:
        engine.dispose()


def daemon(inst: FaultInstallation, log: Path) -> RunningDaemon:
    return RunningDaemon(inst.config_path, log, inst.env())


@pytest.mark.postgres
def test_the_standby_takes_over_within_an_interval_when_the_holder_is_killed(
    inst: FaultInstallation, postgres_database: str, tmp_path: Path
) -> None:
    inst.configure(
        database={"url": postgres_database},
        mailbox={"fetch_batch_bytes": 16 * 1024},
        schedule={"interval_seconds": INTERVAL_SECONDS},
    )
    assert inst.cli("db", "upgrade") == 0
    inst.seed(messages(COUNT))
    first = daemon(inst, tmp_path / "first.log")
    second: RunningDaemon | None = None
    try:
        first.wait_for(lambda: recorded(postgres_database) >= 30, "30 messages recorded")
        second = daemon(inst, tmp_path / "second.log")
        second.wait_for_log("another instance polls it; standing by")
        at_kill = recorded(postgres_database)
        assert at_kill < COUNT, "the first daemon finished before the kill; seed more"
        first.kill()
        killed_at = time.monotonic()
        second.wait_for_log("the other instance is gone; taking over")
        took_over_in = time.monotonic() - killed_at
        second.wait_for(lambda: recorded(postgres_database) == COUNT, "every message recorded")
        second.wait_for_log("waiting for new mail with IDLE")  # the new holder IDLEs
        assert second.stop() == 0, second.output()
    finally:
        first.kill()
        if second is not None:
            second.kill()
    TALLY.trials += 1
    TALLY.fault("SIGKILL of the daemon holding the mailbox lock")
    # The second daemon polled only after the first was gone: it never ran a cycle before.
    standby_log = second.output()
    standing, taking = standby_log.index("standing by"), standby_log.index("taking over")
    assert "moved" not in standby_log[standing:taking]
    # Only the lock holder waits in IDLE: the first from the start, the second once it holds.
    assert "waiting for new mail with IDLE" in first.output()
    assert "waiting for new mail" not in standby_log[:taking]
    assert took_over_in < INTERVAL_SECONDS + 5, f"took over after {took_over_in:.1f} s"
    assert inst.cli("poll") == 0
    assert_exactly_once(inst, COUNT)


def test_a_second_daemon_on_the_same_sqlite_database_is_refused_in_one_line(
    inst: FaultInstallation, tmp_path: Path
) -> None:
    first = daemon(inst, tmp_path / "first.log")
    try:
        first.wait_for_log("practices daemon started")
        refused = inst.run("run", timeout=60)
    finally:
        first.kill()
    assert refused.returncode == 1
    [line] = refused.stderr.splitlines()
    database = inst.data_dir / "practices.db"
    assert re.fullmatch(
        rf"practices: another practices daemon \(pid {first.process.pid}\) already runs on "
        rf"{re.escape(str(database))}; .*use PostgreSQL\)",
        line,
    ), line
    # The kernel released the SIGKILLed daemon's lock: a new one starts.
    again = daemon(inst, tmp_path / "again.log")
    try:
        again.wait_for_log("practices daemon started")
    finally:
        assert again.stop() == 0, again.output()


@pytest.mark.postgres
def test_a_database_outage_is_one_line_per_attempt_and_the_daemon_carries_on(
    inst: FaultInstallation, postgres_behind_proxy: tuple[str, FaultProxy], tmp_path: Path
) -> None:
    url, proxy = postgres_behind_proxy
    inst.configure(database={"url": url}, schedule={"interval_seconds": INTERVAL_SECONDS})
    assert inst.cli("db", "upgrade") == 0
    running = daemon(inst, tmp_path / "daemon.log")
    try:
        running.wait_for_log("nothing new")
        proxy.refuse_for(120)
        proxy.cut_all()  # the daemon's connections, its lock's among them, are gone
        running.wait_for_log("database unavailable", count=3)
        inst.seed(messages(5))
        proxy.stop_refusing()
        running.wait_for_log("draft 5; already known 0; moved 5")
        assert running.stop() == 0, running.output()
    finally:
        running.kill()
    TALLY.trials += 1
    TALLY.fault("PostgreSQL refusing under the daemon")
    log = running.output()
    assert "Traceback" not in log
    failed = [line for line in log.splitlines() if "database unavailable" in line]
    assert len(failed) >= 3
    for line in failed:  # each attempt: one line, saying what and when the next try is
        assert re.search(
            r" ERROR practices\.daemon: mailbox avoinhallinto: cycle failed: database "
            r"unavailable: .+; \d+ in a row, retrying in \d+ s$",
            line,
        ), line
    assert_exactly_once(inst, 5)
