"""SIGKILL of the daemon at random moments while it sends 100 acknowledgements.

The promise: none is lost, and each kill repeats at most one mail (the one between the SMTP
server's "250" and the commit that marks it sent), with its Message-ID, so the count says which.
The SMTP server answers DATA a little slowly, so the kills land mid-stream. The long form
(PRACTICES_LONG_FAULTS=1) kills more often over more trials.
"""

from __future__ import annotations

import random
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from devserver.smtp import SmtpServer
from store.models import OutboxMail
from tests.configs import smtp_table
from tests.faults.faultkit import LONG, TALLY, FaultInstallation
from tests.mail import submission

pytestmark = pytest.mark.dovecot

MAILS = 100
KILLS = 10 if LONG else 3
TRIALS = 3 if LONG else 1
SEED = 20261202


def wait_for_count(server: SmtpServer, count: int, timeout: float = 60.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = len(server.messages())
        if found >= count:
            return found
        time.sleep(0.005)
    raise AssertionError(f"the SMTP server got {len(server.messages())} mails, not {count}")


def distinct(server: SmtpServer) -> int:
    return len({mail.message_id for mail in server.messages()})


@pytest.mark.parametrize("trial", range(TRIALS))
def test_sigkill_while_sending_loses_none_and_repeats_at_most_one_per_kill(
    inst: FaultInstallation, smtp_server: SmtpServer, tmp_path: Path, trial: int
) -> None:
    rng = random.Random(SEED + trial)
    # One process, no interpreter workers: the daemon starts fast, and only sending is tested.
    inst.configure(
        smtp=smtp_table(smtp_server), outbox={"sweep_seconds": 1}, processing={"workers": 1}
    )
    inst.seed([submission(sender=f"kayttaja{n}@vm.fi") for n in range(MAILS)])
    assert inst.cli("poll") == 0  # 100 drafts, 100 acknowledgements queued, none sent yet
    assert len(inst.rows(OutboxMail)) == MAILS and smtp_server.messages() == []
    smtp_server.faults.data_delay = 0.01
    log = tmp_path / "daemon.log"
    kills = 0
    for _kill in range(KILLS):
        seen = len(smtp_server.messages())
        if distinct(smtp_server) >= MAILS - 5:
            break
        daemon = inst.spawn("run", log=log)
        wait_for_count(smtp_server, seen + rng.randint(1, 20))
        time.sleep(rng.uniform(0, 0.02))
        daemon.kill()
        daemon.wait(timeout=30)
        kills += 1
        TALLY.fault("SIGKILL of the sending daemon")
    daemon = inst.spawn("run", log=log)
    try:
        deadline = time.monotonic() + 60
        while distinct(smtp_server) < MAILS and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        daemon.send_signal(signal.SIGTERM)
        assert daemon.wait(timeout=60) == 0, log.read_text()[-3000:]
    TALLY.trials += 1
    received = Counter(mail.message_id for mail in smtp_server.messages())
    repeated = sum(count - 1 for count in received.values())
    print(
        f"\noutbox SIGKILL trial {trial}: kills {kills}, mails expected {MAILS}, "
        f"received {sum(received.values())}, distinct {len(received)}, repeated {repeated} "
        f"({', '.join(sorted(m for m, c in received.items() if c > 1)) or 'none'})"
    )
    rows = inst.rows(OutboxMail)
    assert {f"<{row.message_id}>" for row in rows} == set(received)  # none lost, none foreign
    assert {row.status for row in rows} == {"sent"}
    assert max(received.values()) <= 2
    assert repeated <= kills
    TALLY.fault("acknowledgement repeated after a kill (allowed: one per kill)", repeated)
