"""SIGKILL of a running `practices poll` at random moments: the next poll loses and doubles none."""

from __future__ import annotations

import random
import time

import pytest
from harness import Installation, submission
from sqlalchemy import func, select

from store.models import InboundMessage, PracticeDraft

pytestmark = pytest.mark.dovecot

MESSAGES = 120
TRIALS = 3


def counts(inst: Installation) -> tuple[int, int, int]:
    app = inst.app()
    try:
        with app.sessions() as session:
            rows = session.scalar(select(func.count()).select_from(InboundMessage)) or 0
            distinct = session.scalar(select(func.count(func.distinct(InboundMessage.raw_sha256))))
            drafts = session.scalar(select(func.count()).select_from(PracticeDraft)) or 0
            return int(rows), int(distinct or 0), int(drafts)
    finally:
        app.close()


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
    rows, distinct, drafts = counts(inst)
    assert (rows, distinct, drafts) == (MESSAGES, MESSAGES, MESSAGES)
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Käsitellyt")) == MESSAGES
    assert inst.cli("verify") == 0
