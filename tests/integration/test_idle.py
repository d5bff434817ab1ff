"""IMAP IDLE: new mail becomes a draft within seconds, not at the next interval."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from devserver.imap_server import ImapTestServer
from ingest.imap_idle import MailWatch
from ingest.imap_source import ImapSource
from tests.integration.harness import Installation, new_installation
from tests.mail import submission

pytestmark = pytest.mark.dovecot


def wait_until(condition: Callable[[], bool], timeout: float) -> float:
    """Seconds until `condition` held; fails after `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"not within {timeout} s")


@pytest.mark.parametrize("server_name", ["dovecot", "courier"])
def test_mail_appended_during_idle_becomes_a_draft_without_waiting_for_the_interval(
    server_name: str,
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server: ImapTestServer = request.getfixturevalue(server_name)
    inst = new_installation(server, tmp_path, monkeypatch.setenv)
    inst.configure(schedule={"interval_seconds": 3600})
    inst.deliver(submission(subject="Ennen käynnistystä"))
    daemon = inst.cli_subprocess("run")
    try:
        wait_until(lambda: inst.stored()[2] == 1, timeout=30)  # the first cycle, at start
        time.sleep(1.0)  # the watcher is in IDLE by now
        inst.deliver(submission(subject="IDLEn aikana"))
        seconds = wait_until(lambda: inst.stored()[2] == 2, timeout=15)
    finally:
        daemon.send_signal(signal.SIGTERM)
        _out, err = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, err.decode()[-3000:]
    assert seconds < 15  # the interval is an hour
    assert "waiting for new mail with IDLE" in err.decode()
    assert inst.uids("INBOX") == []


@pytest.fixture
def watched(
    dovecot: ImapTestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Installation:
    return new_installation(dovecot, tmp_path, monkeypatch.setenv)


def _watch_in_thread(
    inst: Installation, seconds: float, *, without: frozenset[str] = frozenset()
) -> tuple[MailWatch, threading.Thread, list[bool]]:
    """A MailWatch on a real connection, waiting `seconds` at a time until mail arrives."""
    settings = inst.app().settings
    source = ImapSource(settings.mailboxes[0])
    source.connect()
    source.capabilities = source.capabilities - without
    watch = MailWatch(source, source.select(readonly=True).exists)
    results: list[bool] = []
    stop = threading.Event()

    def run() -> None:
        try:
            while not results or not results[-1]:
                results.append(watch.wait(seconds, stop))
        finally:
            source.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return watch, thread, results


def test_idle_is_renewed_and_still_hears_new_mail(watched: Installation) -> None:
    watch, thread, results = _watch_in_thread(watched, seconds=0.3)
    wait_until(lambda: watch.idles >= 4, timeout=10)
    watched.deliver(submission())
    thread.join(timeout=10)
    assert results[-1] is True
    assert results.count(False) >= 3  # renewals that heard nothing


def test_without_idle_a_noop_hears_new_mail(watched: Installation) -> None:
    watch, thread, results = _watch_in_thread(watched, seconds=0.3, without=frozenset({"IDLE"}))
    wait_until(lambda: watch.noops >= 2, timeout=10)
    watched.deliver(submission())
    thread.join(timeout=10)
    assert results[-1] is True
    assert watch.idles == 0


def test_our_own_moves_out_of_the_folder_wake_nothing(watched: Installation) -> None:
    for n in range(3):
        watched.deliver(submission(subject=f"Vanha {n}"))
    watch, thread, results = _watch_in_thread(watched, seconds=0.3)
    wait_until(lambda: watch.idles >= 1, timeout=10)
    assert watched.cli("poll") == 0  # moves all three out: three EXPUNGEs reach the watcher
    wait_until(lambda: watch.exists == 0, timeout=10)
    assert True not in results
    watched.deliver(submission())
    thread.join(timeout=10)
    assert results[-1] is True
