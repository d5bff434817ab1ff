"""The daemon dies or is stopped mid-ingest: SIGKILL at random moments, and a clean SIGTERM.

A kill moment is chosen by progress, not by the clock, so it lands inside the ingest on any
machine: wait until a random number of the 500 messages is committed, then a random extra pause
(0-0.5 s, about one batch) so the kill falls mid-fetch, mid-analysis, mid-commit or mid-MOVE.
Set PRACTICES_FAULT_SEED to replay a run; the seed is printed with every failure.
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest

from tests.faults.faultkit import (
    LONG,
    TALLY,
    FaultInstallation,
    assert_exactly_once,
    committed,
    messages,
    photo_messages,
    wait_for_rows,
)

pytestmark = pytest.mark.dovecot

MESSAGES = 500
TRIALS = 50 if LONG else 5
KILLS_PER_TRIAL = 3 if LONG else 2
SEED = int(os.environ.get("PRACTICES_FAULT_SEED", random.SystemRandom().randrange(10**6)))
BATCH_SIZES = (16 * 1024, 64 * 1024, 256 * 1024)  # ~13, ~55, ~220 messages per commit
PHOTO_MESSAGES = 60
PHOTO_TRIALS = 10 if LONG else 2
PHOTO_BATCH = 12 * 1024 * 1024  # ~20 messages, enough to go to the worker processes


@pytest.fixture(scope="module")
def backlog() -> list[bytes]:
    """500 small submissions with unique Message-IDs; each trial seeds them into its own box."""
    return messages(MESSAGES)


def kill_at_random_moments(
    inst: FaultInstallation, rng: random.Random, total: int, log: Path
) -> int:
    """Start `practices run` and SIGKILL it KILLS_PER_TRIAL times, each once a random number
    of the `total` messages is committed plus a random pause; returns how many kills landed
    on a live daemon."""
    database = inst.data_dir / "practices.db"
    kills = 0
    for _ in range(KILLS_PER_TRIAL):
        proc = inst.spawn("run", log=log)
        try:
            target = rng.randint(committed(database), total)
            wait_for_rows(proc, database, target, log)
            time.sleep(rng.uniform(0.0, 0.5))
            if proc.poll() is None:
                kills += 1
        finally:
            proc.kill()
            proc.wait(timeout=30)
    return kills


@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigkill_at_random_moments_loses_and_doubles_nothing(
    inst: FaultInstallation, backlog: list[bytes], tmp_path: Path, trial: int
) -> None:
    rng = random.Random(SEED * 1000 + trial)
    inst.configure(mailbox={"fetch_batch_bytes": rng.choice(BATCH_SIZES)})
    inst.seed(backlog)
    log = tmp_path / "daemon.log"
    kills = kill_at_random_moments(inst, rng, MESSAGES, log)
    TALLY.trials += 1
    TALLY.fault("SIGKILL of the daemon", kills)
    assert inst.cli("poll") == 0, f"seed {SEED}, trial {trial}:\n{log.read_text()[-3000:]}"
    assert_exactly_once(inst, MESSAGES)


@pytest.fixture(scope="module")
def photo_backlog() -> list[bytes]:
    """60 submissions, a third with a 1 MB photo: batches large enough for the workers."""
    return photo_messages(PHOTO_MESSAGES)


@pytest.mark.parametrize("trial", range(PHOTO_TRIALS))
def test_sigkill_while_workers_make_photos_loses_and_doubles_nothing(
    inst: FaultInstallation, photo_backlog: list[bytes], tmp_path: Path, trial: int
) -> None:
    rng = random.Random(SEED * 1000 + 500 + trial)
    inst.configure(mailbox={"fetch_batch_bytes": PHOTO_BATCH})
    inst.seed(photo_backlog)
    log = tmp_path / "daemon.log"
    kills = kill_at_random_moments(inst, rng, PHOTO_MESSAGES, log)
    TALLY.trials += 1
    TALLY.fault("SIGKILL of the daemon (photo workers)", kills)
    assert "worker processes" in log.read_text()  # the kills hit the worker path
    assert inst.cli("poll") == 0, f"seed {SEED}, trial {trial}:\n{log.read_text()[-3000:]}"
    assert_exactly_once(inst, PHOTO_MESSAGES)


def test_sigterm_stops_the_daemon_after_the_current_message_and_leaves_it_consistent(
    inst: FaultInstallation, backlog: list[bytes], tmp_path: Path
) -> None:
    count = 200
    inst.configure(mailbox={"fetch_batch_bytes": 64 * 1024})
    inst.seed(backlog[:count])
    log = tmp_path / "daemon.log"
    proc = inst.spawn("run", log=log)
    try:
        wait_for_rows(proc, inst.data_dir / "practices.db", 60, log)
        proc.send_signal(signal.SIGTERM)
        stopping = time.monotonic()
        assert proc.wait(timeout=30) == 0, log.read_text()[-3000:]
        stopped_in = time.monotonic() - stopping
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    text = log.read_text()
    assert "received SIGTERM; stopping after the current message" in text
    assert text.rstrip().endswith("practices daemon stopped"), text[-2000:]
    assert stopped_in < 5, f"stopping took {stopped_in:.1f} s"
    TALLY.trials += 1
    TALLY.fault("SIGTERM of the daemon")
    # Consistent as it stands: what was recorded has been moved, the rest simply waits.
    code, report = inst.cli_output("verify")
    assert code == 0, report
    assert 0 < inst.counts().watched < count
    assert inst.cli("poll") == 0
    assert_exactly_once(inst, count)
