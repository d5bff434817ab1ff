"""The retry policy: transient trouble is retried and shows in health; permanent trouble is kept.

- a failing mailbox makes `practices health` exit non-zero after max_consecutive_failures cycles,
  and so does a last success older than max_poll_age_intervals; one good poll clears both;
- the daemon retries a failing mailbox by itself and ingests once the server is back;
- a message that analysis cannot handle is failed once, with its traceback and its raw kept, and
  moved to the failed folder; `practices retry` turns it into a draft once the cause is fixed.
"""

from __future__ import annotations

import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest

import ingest.analysis
from store.files import sha256_hex
from store.models import InboundMessage, MailboxState, utcnow
from tests.faults.faultkit import (
    TALLY,
    FaultInstallation,
    assert_exactly_once,
    messages,
    wait_for_rows,
)
from tests.faults.proxy import FaultProxy

pytestmark = pytest.mark.dovecot

HEALTH = {"max_consecutive_failures": 2, "max_poll_age_intervals": 3}


def test_health_fails_after_max_consecutive_failed_cycles_and_recovers(
    inst: FaultInstallation, imap_proxy: FaultProxy
) -> None:
    inst.configure(
        mailbox={"port": imap_proxy.port}, schedule={"interval_seconds": 60}, health=HEALTH
    )
    assert inst.cli("poll") == 0
    assert inst.cli_output("health")[0] == 0
    imap_proxy.refuse_for(60)
    assert inst.cli("poll") == 1
    assert inst.cli_output("health")[0] == 0  # one failure is not yet an alarm
    assert inst.cli("poll") == 1
    code, out = inst.cli_output("health")
    assert code == 1
    assert "2 failed cycles in a row" in out and "cannot connect" in out
    TALLY.fault("connections refused", 2)
    imap_proxy.stop_refusing()
    assert inst.cli("poll") == 0
    assert inst.cli_output("health")[0] == 0


def test_health_fails_when_the_last_success_is_stale(inst: FaultInstallation) -> None:
    inst.configure(schedule={"interval_seconds": 60}, health=HEALTH)
    assert inst.cli("poll") == 0
    assert inst.cli_output("health")[0] == 0
    app = inst.app()
    try:
        with app.sessions.begin() as session:
            state = session.get(MailboxState, "avoinhallinto")
            assert state is not None
            state.last_success_at = utcnow() - timedelta(minutes=4)  # 3 intervals = 3 min
    finally:
        app.close()
    code, out = inst.cli_output("health")
    assert code == 1
    assert "last successful poll" in out and "more than 3 intervals" in out


def test_daemon_retries_a_refusing_server_by_itself_and_then_ingests(
    inst: FaultInstallation, imap_proxy: FaultProxy, tmp_path: Path
) -> None:
    count = 20
    inst.configure(mailbox={"port": imap_proxy.port})
    inst.seed(messages(count))
    imap_proxy.refuse_for(4.0)
    log = tmp_path / "daemon.log"
    proc = inst.spawn("run", log=log)
    try:
        wait_for_rows(proc, inst.data_dir / "practices.db", count, log)
        time.sleep(0.5)  # let the cycle finish its MOVE
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    text = log.read_text()
    assert imap_proxy.fired["refused"] >= 2, text[-3000:]
    assert "cycle failed" in text and f"draft {count}" in text
    TALLY.trials += 1
    TALLY.fault("connections refused (daemon)", imap_proxy.fired["refused"])
    assert inst.status()["consecutive_failures"] == 0
    assert_exactly_once(inst, count)


def test_a_permanent_failure_is_kept_once_and_retry_makes_it_a_draft(
    inst: FaultInstallation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In this process, where the patch below reaches: `poll` hands messages to worker
    # processes otherwise, which import their own, unpatched understanding.
    inst.configure(processing={"workers": 1})
    inst.seed(messages(2))

    def broken_understanding(*args: object, **kwargs: object) -> None:
        raise ValueError("understanding broke on this message")

    with monkeypatch.context() as patch:
        patch.setattr(ingest.analysis, "understand", broken_understanding)
        assert inst.cli("poll") == 0  # a failed message is not a failed cycle
        assert inst.cli("poll") == 0  # and it is not tried again by the next one
    first, second = inst.rows(InboundMessage)
    for row in (first, second):
        assert row.outcome == "failed" and row.attempts == 1
        assert row.reason == "ValueError: understanding broke on this message"
        assert "Traceback" in row.error_text and "broken_understanding" in row.error_text
        raw = (inst.data_dir / row.raw_path).read_bytes()
        assert sha256_hex(raw) == row.raw_sha256
    counts = inst.counts()
    assert (counts.watched, counts.failed_folder, counts.drafts) == (0, 2, 0)
    assert inst.status()["consecutive_failures"] == 0

    code, out = inst.cli_output("retry", str(first.id))
    assert code == 0 and f"message {first.id}: draft" in out
    code, out = inst.cli_output("retry", "--all")
    assert code == 0 and "retried: draft 1" in out
    retried = [(row.outcome, row.attempts) for row in inst.rows(InboundMessage)]
    assert retried == [("draft", 2), ("draft", 2)]
    code, report = inst.cli_output("verify")
    assert code == 0, report
    assert "failed folder, since retried successfully" in report
    assert inst.counts().drafts == 2
