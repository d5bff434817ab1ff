"""The network breaks mid-poll (through the fault proxy): the poll fails loudly, the next completes.

Each fault fires once; the failing poll must exit non-zero, record the error in the mailbox state
and mark no message failed; the poll after it must leave every message recorded exactly once.
"""

from __future__ import annotations

import os
import random
import time

import pytest

from tests.faults.faultkit import (
    FaultInstallation,
    assert_the_next_poll_recovers,
    messages,
)
from tests.faults.proxy import FaultProxy

pytestmark = pytest.mark.dovecot

COUNT = 50
SEED = int(os.environ.get("PRACTICES_FAULT_SEED", random.SystemRandom().randrange(10**6)))


def failing_poll(inst: FaultInstallation, error_part: str) -> None:
    """One poll that must fail with `error_part` in the recorded error and nothing failed."""
    assert inst.cli("poll") == 1
    status = inst.status()
    assert status["consecutive_failures"] == 1
    assert error_part in str(status["last_error"]), status["last_error"]
    assert "avoinhallinto" in str(status["last_error"])
    assert inst.counts().failed == 0


def test_cut_mid_fetch_fails_the_poll_and_the_next_one_completes(
    inst: FaultInstallation, imap_proxy: FaultProxy
) -> None:
    inst.configure(mailbox={"port": imap_proxy.port, "fetch_batch_bytes": 16 * 1024})
    inst.seed(messages(COUNT))
    imap_proxy.cut_after_server_bytes(30_000, after=b"BODY.PEEK[]")
    failing_poll(inst, "connection lost")
    assert imap_proxy.fired["cut_after_server_bytes"] == 1
    assert 0 < inst.counts().rows < COUNT  # earlier batches made it, the cut one did not
    assert_the_next_poll_recovers(inst, COUNT, "cut mid-FETCH")


def test_cut_mid_fetch_over_tls_records_nothing_and_the_next_poll_completes(
    inst: FaultInstallation, imaps_proxy: FaultProxy
) -> None:
    inst.configure(mailbox={"port": imaps_proxy.port, "security": "tls"})
    inst.seed(messages(COUNT))
    imaps_proxy.cut_after_server_bytes(40_000)
    failing_poll(inst, "connection lost")
    assert imaps_proxy.fired["cut_after_server_bytes"] == 1
    assert inst.counts().rows == 0  # one batch: cut before its commit
    assert_the_next_poll_recovers(inst, COUNT, "cut mid-FETCH (TLS)")


@pytest.mark.parametrize("forward", [False, True], ids=["before-forwarding", "after-answer"])
def test_cut_mid_move_is_completed_by_the_next_poll(
    inst: FaultInstallation, imap_proxy: FaultProxy, forward: bool
) -> None:
    inst.configure(mailbox={"port": imap_proxy.port})
    inst.seed(messages(COUNT))
    imap_proxy.cut_on_command(b"UID MOVE", forward=forward)
    failing_poll(inst, "connection lost")
    assert imap_proxy.fired[f"command:{'cut_after_answer' if forward else 'cut_before'}"] == 1
    after_fault = inst.counts()
    assert after_fault.rows == COUNT  # committed before the MOVE
    # After the answer was swallowed, the server has moved them though we never heard it.
    assert (after_fault.watched, after_fault.processed) == ((0, COUNT) if forward else (COUNT, 0))
    assert_the_next_poll_recovers(
        inst, COUNT, "cut mid-MOVE " + ("after forwarding" if forward else "before forwarding")
    )


@pytest.mark.parametrize("command", [b"BODY.PEEK[]", b"UID MOVE"], ids=["fetch", "move"])
def test_stall_past_the_read_timeout_fails_the_poll_and_the_next_one_completes(
    inst: FaultInstallation, imap_proxy: FaultProxy, command: bytes
) -> None:
    inst.configure(mailbox={"port": imap_proxy.port, "read_timeout_seconds": 1.0})
    inst.seed(messages(COUNT))
    imap_proxy.stall_on_command(command, seconds=4.0)
    started = time.monotonic()
    failing_poll(inst, "did not answer in 1 s")
    assert time.monotonic() - started < 10
    assert imap_proxy.fired["command:stall"] == 1
    assert_the_next_poll_recovers(inst, COUNT, f"stall during {command.decode()}")


def test_refused_connections_fail_the_poll_until_the_server_takes_them_again(
    inst: FaultInstallation, imap_proxy: FaultProxy
) -> None:
    inst.configure(mailbox={"port": imap_proxy.port})
    inst.seed(messages(COUNT))
    imap_proxy.refuse_for(3.0)
    failing_poll(inst, "cannot connect")
    assert inst.cli("poll") == 1
    assert inst.status()["consecutive_failures"] == 2
    assert imap_proxy.fired["refused"] == 2
    assert inst.counts().rows == 0
    imap_proxy.stop_refusing()
    assert_the_next_poll_recovers(inst, COUNT, "connections refused", 2)


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(20))
def test_cut_at_a_random_byte_of_the_poll_loses_and_doubles_nothing(
    inst: FaultInstallation, imap_proxy: FaultProxy, trial: int
) -> None:
    rng = random.Random(SEED * 1000 + trial)
    inst.configure(mailbox={"port": imap_proxy.port, "fetch_batch_bytes": 8 * 1024})
    inst.seed(messages(COUNT))
    # A clean poll of these 50 messages receives about 45 kB: the cut lands anywhere in it.
    imap_proxy.cut_after_server_bytes(rng.randint(0, 46_000))
    code = inst.cli("poll")
    fired = imap_proxy.fired["cut_after_server_bytes"]
    assert code == (1 if fired else 0), f"seed {SEED}, trial {trial}"
    if fired:
        assert inst.counts().failed == 0
    assert_the_next_poll_recovers(inst, COUNT, "cut at a random byte", fired)
