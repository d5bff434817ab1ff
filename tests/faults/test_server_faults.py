"""The IMAP server itself changes under us: a restart mid-poll, a folder deleted and recreated.

A recreated folder has a new UIDVALIDITY (RFC 3501 §2.3.1.1): every UID we remember is void,
so messages restored into it must be matched again by their bytes, never ingested twice.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from devserver.dovecot import DovecotServer
from tests.faults.faultkit import (
    TALLY,
    FaultInstallation,
    assert_exactly_once,
    messages,
    wait_for_rows,
)
from tests.faults.proxy import FaultProxy

pytestmark = pytest.mark.dovecot


def restart_dropping_sessions(dovecot: DovecotServer, user: str) -> None:
    """Restart Dovecot the way a package upgrade does, dropping `user`'s open sessions.

    Here the imap processes outlive a SIGTERM to the master (established sessions carry on with
    the new one), so without the kick the poll would never notice; `shutdown_clients = yes`
    servers and reboots do drop them.
    """
    kicked = subprocess.run(
        ["doveadm", "-c", str(dovecot.config_file), "kick", user],
        capture_output=True,
        text=True,
        check=False,
    )
    assert kicked.returncode == 0, kicked.stderr
    dovecot.restart()


def test_dovecot_restarted_mid_poll_fails_it_and_the_next_poll_completes(
    inst: FaultInstallation, dovecot: DovecotServer, tmp_path: Path
) -> None:
    count = 300
    inst.configure(mailbox={"fetch_batch_bytes": 16 * 1024})
    inst.seed(messages(count))
    log = tmp_path / "poll.log"
    proc = inst.spawn("poll", log=log)
    try:
        wait_for_rows(proc, inst.data_dir / "practices.db", 50, log)
        restarting = time.monotonic()
        restart_dropping_sessions(dovecot, inst.user)
        assert time.monotonic() - restarting < 15
        assert proc.wait(timeout=60) == 1, log.read_text()[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert "cycle failed" in log.read_text()
    status = inst.status()
    assert status["consecutive_failures"] == 1
    assert "connection lost" in str(status["last_error"]) or "cannot connect" in str(
        status["last_error"]
    )
    counts = inst.counts()
    assert counts.failed == 0 and 0 < counts.rows < count
    TALLY.trials += 1
    TALLY.fault("Dovecot restarted mid-poll")
    assert inst.cli("poll") == 0
    assert_exactly_once(inst, count)


def restore_folder(inst: FaultInstallation, folder: str, raws: list[bytes]) -> None:
    """Delete `folder` and recreate it with `raws` in it, as a restore from backup would."""
    inst.server.delete_folder(inst.user, folder)
    inst.seed(raws, folder)


def test_folder_recreated_between_commit_and_move_is_matched_by_content(
    inst: FaultInstallation, imap_proxy: FaultProxy
) -> None:
    count = 20
    raws = messages(count)
    inst.configure(mailbox={"port": imap_proxy.port, "folder": "Saapuneet"})
    inst.seed(raws)
    imap_proxy.cut_on_command(b"UID MOVE", forward=False)  # crash after commit, before MOVE
    assert inst.cli("poll") == 1
    assert inst.counts().rows == count
    restore_folder(inst, "Saapuneet", raws)
    TALLY.trials += 1
    TALLY.fault("UIDVALIDITY change between commit and MOVE")
    assert inst.cli("poll") == 0
    assert_exactly_once(inst, count)


def test_folder_recreated_after_an_unheard_move_keeps_one_row_per_message(
    inst: FaultInstallation, imap_proxy: FaultProxy
) -> None:
    count = 20
    raws = messages(count)
    inst.configure(mailbox={"port": imap_proxy.port, "folder": "Saapuneet"})
    inst.seed(raws)
    imap_proxy.cut_on_command(b"UID MOVE", forward=True)  # the server moved; we never heard
    assert inst.cli("poll") == 1
    restore_folder(inst, "Saapuneet", raws)  # the same mail comes back from a backup
    TALLY.trials += 1
    TALLY.fault("UIDVALIDITY change after an unheard MOVE")
    assert inst.cli("poll") == 0
    code, report = inst.cli_output("verify")
    assert code == 0, report
    counts = inst.counts()
    # We never delete mail: the restored copies are moved next to the first ones, but the store
    # holds each message once, with one draft.
    assert (counts.rows, counts.distinct_message_ids, counts.drafts) == (count, count, count)
    assert (counts.watched, counts.processed, counts.failed) == (0, 2 * count, 0)
    TALLY.messages += count
