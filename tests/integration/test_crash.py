"""SIGKILL of a running `practices poll` at random moments: the next poll loses and doubles none."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from tests.integration.harness import Installation
from tests.mail import submission

pytestmark = pytest.mark.dovecot

MESSAGES = 120
TRIALS = 3


def test_kill_during_poll_then_poll_again_gives_each_message_once(inst: Installation) -> None:
    rng = random.Random(20261127)
    for n in range(MESSAGES):
        inst.deliver(
            submission(subject=f"Kokeilu {n}", body=f"Mitä tehtiin ja miksi?\nKokeilu {n}.\n")
        )
    for _trial in range(TRIALS):
        process = inst.cli_subprocess("poll")
        time.sleep(rng.uniform(0.9, 1.8))
        process.kill()
        process.communicate(timeout=30)
    final = inst.cli_subprocess("poll")
    _out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode()
    rows, distinct, drafts = inst.stored()
    assert (rows, distinct, drafts) == (MESSAGES, MESSAGES, MESSAGES)
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Käsitellyt")) == MESSAGES
    assert inst.cli("verify") == 0


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = {int(c) for c in (task / "children").read_text().split()}
            except OSError:
                continue
            pending.extend(children - found)
            found |= children
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_killed_poll_leaves_no_worker_processes_behind(inst: Installation) -> None:
    for n in range(MESSAGES):
        inst.deliver(submission(subject=f"Kokeilu {n}", body=f"Kokeilu {n}.\n"))
    process = inst.cli_subprocess("poll")
    helpers: set[int] = set()
    deadline = time.monotonic() + 30
    while len(helpers) < 3 and time.monotonic() < deadline:  # fork server and two workers
        helpers |= _descendants(process.pid)
        time.sleep(0.05)
    assert len(helpers) >= 3, "the poll never started its worker processes"
    process.kill()
    process.communicate(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in helpers if _alive(pid)]
