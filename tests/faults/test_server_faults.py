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
    FaultInstallation,
    assert_the_next_poll_recovers,
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
    assert_the_next_poll_recovers(inst, count, "Dovecot restarted mid-poll")


RESTORED = 20  # messages in the folder that is lost and restored


@pytest.mark.parametrize(
    ("server_moved", "fault"),
    [
        pytest.param(False, "UIDVALIDITY change between commit and MOVE", id="before-the-move"),
        pytest.param(True, "UIDVALIDITY change after an unheard MOVE", id="after-an-unheard-move"),
    ],
)
def test_folder_recreated_after_a_poll_cut_at_move_is_matched_by_content(
    inst: FaultInstallation, imap_proxy: FaultProxy, server_moved: bool, fault: str
) -> None:
    """The poll commits, then its connection is cut at the UID MOVE (the server having moved
    the mail or not); the folder is then deleted and recreated with the same mail in it, as a
    restore from backup would, with a new UIDVALIDITY. The next poll matches every message by
    its bytes: each is stored once, with one draft."""
    raws = messages(RESTORED)
    inst.configure(mailbox={"port": imap_proxy.port, "folder": "Saapuneet"})
    inst.seed(raws)
    imap_proxy.cut_on_command(b"UID MOVE", forward=server_moved)
    assert inst.cli("poll") == 1
    assert inst.counts().rows == RESTORED
    inst.server.delete_folder(inst.user, "Saapuneet")
    inst.seed(raws, "Saapuneet")
    # Mail the server had moved is moved again when it comes back: two copies, one row.
    assert_the_next_poll_recovers(inst, RESTORED, fault, moved_copies=2 if server_moved else 1)
