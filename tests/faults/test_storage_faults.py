"""The database or the disk goes away mid-poll: the poll fails as transient, nothing is failed.

SQLite locked by another process past the busy timeout, PostgreSQL refusing connections, and the
data directory full while raw messages are archived (a real 1 MB tmpfs when mounting is allowed,
and always a simulated ENOSPC). After the fault is gone, the next poll ingests everything once.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

import ingest.pipeline
import store.db
import store.files
from ingest.analysis import review as original_review
from ingest.imap_source import ImapSource
from ingest.poller import BATCHES_AHEAD
from tests.faults.faultkit import (
    TALLY,
    FaultInstallation,
    assert_the_next_poll_recovers,
    messages,
)
from tests.faults.proxy import FaultProxy

pytestmark = pytest.mark.dovecot

COUNT = 30
SMALL_BATCH = 4 * 1024  # about five messages per batch, so a fault can land between batches

LOCKER = (
    "import sqlite3, sys, time\n"
    "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
    "db.execute('BEGIN EXCLUSIVE')\n"
    "print('locked', flush=True)\n"
    "time.sleep(60)\n"
)


class SqliteLock:
    """Another process holding `BEGIN EXCLUSIVE` on the database until released."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.process: subprocess.Popen[str] | None = None

    def take(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(self.database)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            if self.process.stdout is not None:
                self.process.stdout.close()
            self.process = None


@pytest.fixture
def sqlite_lock(inst: FaultInstallation, monkeypatch: pytest.MonkeyPatch) -> Iterator[SqliteLock]:
    # Wait 0.3 s for the lock instead of 30 s, so the fault shows quickly.
    monkeypatch.setattr(store.db, "SQLITE_BUSY_TIMEOUT_MS", 300)
    lock = SqliteLock(inst.data_dir / "practices.db")
    yield lock
    lock.release()


# Fetching runs BATCHES_AHEAD batches ahead of recording: the first batch is committed after
# batch BATCHES_AHEAD + 1 is fetched, so fetch BATCHES_AHEAD + 2 is the first after a commit.
FIRST_FETCH_AFTER_A_COMMIT = BATCHES_AHEAD + 2


def between_batches(monkeypatch: pytest.MonkeyPatch, fault: Any) -> None:
    """Run `fault()` at the first batch fetched after a commit: mid-poll, between batches."""
    original = ImapSource.fetch
    calls = {"n": 0}

    def fetch(self: ImapSource, uids: Any) -> Iterator[tuple[int, bytes]]:
        calls["n"] += 1
        if calls["n"] == FIRST_FETCH_AFTER_A_COMMIT:
            fault()
        yield from original(self, uids)

    monkeypatch.setattr(ImapSource, "fetch", fetch)


def on_connect(monkeypatch: pytest.MonkeyPatch, fault: Any) -> None:
    """Run `fault()` when the cycle connects to IMAP: after the app opened, before any write."""
    original = ImapSource.connect

    def connect(self: ImapSource) -> None:
        fault()
        original(self)

    monkeypatch.setattr(ImapSource, "connect", connect)


def poll_failing_at(
    inst: FaultInstallation,
    monkeypatch: pytest.MonkeyPatch,
    moment: Callable[[pytest.MonkeyPatch, Callable[[], None]], None],
    fault: Callable[[], None],
) -> None:
    """Poll once with `fault()` run at `moment` (`on_connect`, `between_batches` or
    `mid_second_batch`): the poll fails. The patch is undone before the next poll."""
    with monkeypatch.context() as patch:
        moment(patch, fault)
        assert inst.cli("poll") == 1


def assert_transient_failure(inst: FaultInstallation, log: str, error_part: str) -> None:
    assert error_part in log, log[-2000:]
    assert "cycle failed" in log
    assert inst.counts().failed == 0


def test_sqlite_locked_when_the_cycle_starts_fails_it_and_marks_nothing_failed(
    inst: FaultInstallation,
    sqlite_lock: SqliteLock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inst.seed(messages(COUNT))
    poll_failing_at(inst, monkeypatch, on_connect, sqlite_lock.take)
    sqlite_lock.release()
    assert_transient_failure(inst, capsys.readouterr().err, "database unavailable: database is")
    assert inst.counts().watched == COUNT
    assert_the_next_poll_recovers(inst, COUNT, "SQLite locked")


def test_sqlite_locked_mid_poll_keeps_the_committed_batch_and_the_next_poll_completes(
    inst: FaultInstallation,
    sqlite_lock: SqliteLock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    inst.configure(mailbox={"fetch_batch_bytes": SMALL_BATCH})
    inst.seed(messages(COUNT))
    poll_failing_at(inst, monkeypatch, between_batches, sqlite_lock.take)
    sqlite_lock.release()
    assert_transient_failure(inst, capsys.readouterr().err, "database is locked")
    counts = inst.counts()
    assert 0 < counts.rows < COUNT and counts.watched == COUNT - counts.rows
    assert_the_next_poll_recovers(inst, COUNT, "SQLite locked mid-poll")


def mid_second_batch(monkeypatch: pytest.MonkeyPatch, fault: Any) -> None:
    """Run `fault()` at the third review of the second batch: inside an open transaction."""
    calls = {"fetches": 0, "analyses": 0}
    original_fetch = ImapSource.fetch

    def fetch(self: ImapSource, uids: Any) -> Iterator[tuple[int, bytes]]:
        calls["fetches"] += 1
        yield from original_fetch(self, uids)

    def review(*args: Any, **kwargs: Any) -> Any:
        # review() is the per-message step that runs inside the batch's open transaction.
        if calls["fetches"] == FIRST_FETCH_AFTER_A_COMMIT:  # the second batch is being recorded
            calls["analyses"] += 1
            if calls["analyses"] == 3:
                fault()
        return original_review(*args, **kwargs)

    monkeypatch.setattr(ImapSource, "fetch", fetch)
    monkeypatch.setattr(ingest.pipeline, "review", review)


MOMENTS = {"between-batches": between_batches, "mid-transaction": mid_second_batch}


@pytest.mark.postgres
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_postgres_refusing_mid_poll_fails_it_and_the_next_poll_completes(
    inst: FaultInstallation,
    postgres_behind_proxy: tuple[str, FaultProxy],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    moment: str,
) -> None:
    url, proxy = postgres_behind_proxy
    inst.configure(mailbox={"fetch_batch_bytes": SMALL_BATCH}, database={"url": url})
    assert inst.cli("db", "upgrade") == 0
    inst.seed(messages(COUNT))

    def database_goes_away() -> None:
        proxy.refuse_for(60)
        proxy.cut_all()

    poll_failing_at(inst, monkeypatch, MOMENTS[moment], database_goes_away)
    proxy.stop_refusing()
    log = capsys.readouterr().err
    assert_transient_failure(inst, log, "database unavailable")
    assert proxy.fired["refused"] >= 1
    assert 0 < inst.counts().rows < COUNT, log
    assert_the_next_poll_recovers(inst, COUNT, f"PostgreSQL refusing ({moment})")


@pytest.mark.postgres
def test_postgres_on_a_closed_port_fails_the_poll_before_touching_the_mailbox(
    inst: FaultInstallation, postgres_url: str | None
) -> None:
    if postgres_url is None:
        pytest.skip("PRACTICES_TEST_DATABASE_URL is not set")
    inst.seed(messages(3))
    closed = make_url(postgres_url).set(host="127.0.0.1", port=1)
    inst.configure(database={"url": closed.render_as_string(hide_password=False)})
    result = inst.run("poll")
    assert result.returncode != 0
    assert "refused" in result.stderr.lower()
    assert len(inst.uids("INBOX")) == 3  # the database is unreachable: read the mailbox only
    TALLY.trials += 1
    TALLY.fault("PostgreSQL closed port")


# -- the data directory is full ---------------------------------------------------------------


@contextmanager
def tmpfs(directory: Path, size: str = "1m") -> Iterator[Path]:
    """A small tmpfs mounted on `directory`; skips the test when mounting is not permitted."""
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(directory)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield directory
    finally:
        subprocess.run(["umount", "-l", str(directory)], check=False)


def fill(directory: Path, leave_bytes: int) -> Path:
    """Write a filler file so that only about `leave_bytes` stay free."""
    stats = os.statvfs(directory)
    free = stats.f_bavail * stats.f_frsize
    filler = directory / "filler"
    filler.write_bytes(b"\0" * max(0, free - leave_bytes))
    return filler


def test_full_tmpfs_data_dir_fails_the_poll_and_the_next_poll_after_freeing_completes(
    inst: FaultInstallation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with tmpfs(tmp_path / "small-disk") as disk:
        database = tmp_path / "db" / "practices.db"
        inst.configure(
            mailbox={"fetch_batch_bytes": SMALL_BATCH},
            storage={"data_dir": disk / "data"},
            database={"url": f"sqlite:///{database}"},
        )
        assert inst.cli("db", "upgrade") == 0
        inst.seed(messages(COUNT))
        filler = fill(disk, leave_bytes=12 * 4096)  # a dozen raw files: one page each
        assert inst.cli("poll") == 1
        assert_transient_failure(inst, capsys.readouterr().err, "No space left on device")
        status = inst.status()
        assert "StorageError" in str(status["last_error"])
        counts = inst.counts()
        assert counts.rows < COUNT and counts.watched == COUNT - counts.rows
        filler.unlink()
        assert_the_next_poll_recovers(inst, COUNT, "data directory full (tmpfs)")


class _FullDisk:
    """Stands in for `os` inside store.files: files open, but writing to them fails with ENOSPC."""

    def __init__(self) -> None:
        self.full = True
        self.refused = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(os, name)

    def fdopen(self, fd: int, *args: Any, **kwargs: Any) -> Any:
        handle = os.fdopen(fd, *args, **kwargs)
        if not self.full:
            return handle
        disk = self

        class _NoSpace:
            def __enter__(self) -> _NoSpace:
                return self

            def __exit__(self, *exc: object) -> None:
                handle.close()

            def write(self, data: bytes) -> int:
                disk.refused += 1
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        return _NoSpace()


def test_simulated_full_disk_keeps_the_message_in_the_inbox_until_space_returns(
    inst: FaultInstallation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.seed(messages(3))
    disk = _FullDisk()
    with monkeypatch.context() as patch:
        patch.setattr(store.files, "os", disk)
        assert inst.cli("poll") == 1
    assert disk.refused == 1
    assert_transient_failure(inst, capsys.readouterr().err, "No space left on device")
    counts = inst.counts()
    assert (counts.rows, counts.watched) == (0, 3)
    assert not [p for p in (inst.data_dir / "raw").rglob("*") if p.is_file()]  # no leftovers
    assert_the_next_poll_recovers(inst, 3, "data directory full (simulated ENOSPC)")
