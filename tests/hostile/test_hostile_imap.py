"""A hostile or broken IMAP server ends the cycle within its deadline, with one clear error.

Each case is a scripted server on loopback (`scripted_imap`) that breaks the protocol one way;
`practices poll` must fail that cycle quickly, `practices status` must show why, and nothing may
be lost: the mail stays on the server, and a message the server lied about is recorded failed
and moved to the failed folder by the next, well-behaved cycle.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from imapclient import imap_utf7

from core.config import load_settings
from core.vocabulary import Outcome
from ingest.pipeline import Pipeline
from ingest.poller import MailboxPoller
from practices.cli import EXIT_FAILED, EXIT_OK, main
from practices.cycle import run_cycle
from store.app import open_app
from tests.configs import Table, write_config
from tests.hostile.scripted_imap import Script, ScriptedImapServer
from tests.mail import submission

COMMAND_TIMEOUT = 2.0
# Connecting, logging in and the database around the cycle, on a busy machine.
MARGIN_SECONDS = 3.0
PASSWORD_ENV = "PRACTICES_TEST_SCRIPTED_IMAP_PASSWORD"

CASES: dict[str, tuple[Script, str]] = {
    "endless_untagged": (Script(endless_exists=True), "sent more than 1000 response lines"),
    "trickled_literal": (
        Script(trickle_seconds=0.5),
        f"did not finish answering FETCH BODY[] within {COMMAND_TIMEOUT:g} s",
    ),
    "lying_size": (
        Script(announced_size=500, literal_size=300_000_000),
        "announced a literal of 300000000 bytes for UID 1, over the limit of 1049576",
    ),
    "oversized_literal": (
        Script(literal_size=99_999_999_999),
        "announced a literal of 99999999999 bytes for UID 1",
    ),
    "uidvalidity_not_a_number": (Script(uidvalidity=b"abc"), "SELECT answer not understood"),
    "uidvalidity_missing": (Script(uidvalidity=None), "SELECT gave no UIDVALIDITY"),
    "uidvalidity_too_large": (
        Script(uidvalidity=b"99999999999999999999999"),
        "UIDVALIDITY 99999999999999999999999 is not a number from 1 to 4294967295",
    ),
    "uid_too_large": (
        Script(search_answer=b"18446744073709551615"),
        "UID from SEARCH 18446744073709551615 is not a number from 1 to 4294967295",
    ),
}
REFUSED_LITERALS = ("lying_size", "oversized_literal")


def configure(directory: Path, port: int) -> Path:
    mailbox: Table = {
        "name": "vihamielinen",
        "host": "127.0.0.1",
        "port": port,
        "security": "plain",
        "username": "editor",
        "password_env": PASSWORD_ENV,
        "connect_timeout_seconds": 5.0,
        "read_timeout_seconds": 5.0,
        "command_timeout_seconds": COMMAND_TIMEOUT,
        "create_missing_folders": True,  # the scripted server starts with INBOX alone
    }
    config = write_config(
        directory / "practices.toml",
        storage={"fsync": False},
        mailbox=[mailbox],
        senders={"own_addresses": ["avoinhallinto@vm.fi"]},
        processing={"workers": 1},
    )
    assert main(["--config", str(config), "db", "upgrade"]) == EXIT_OK
    return config


def status(config: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()
    assert main(["--config", str(config), "status", "--json"]) == EXIT_OK
    (mailbox,) = json.loads(capsys.readouterr().out)
    assert isinstance(mailbox, dict)
    return mailbox


def messages(config: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    capsys.readouterr()
    assert main(["--config", str(config), "messages", "--json"]) == EXIT_OK
    rows: list[dict[str, object]] = json.loads(capsys.readouterr().out)
    return rows


@pytest.fixture(autouse=True)
def _password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "salasana")


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_server_fails_the_cycle_in_time_with_one_clear_error_and_loses_nothing(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script, error = CASES[case]
    raw = submission(subject="Palvelimen koetus")
    with ScriptedImapServer(script, {1: raw}) as server:
        config = configure(tmp_path, server.port)
        started = time.monotonic()
        code = main(["--config", str(config), "poll"])
        seconds = time.monotonic() - started
        assert server.mailbox.inbox == {1: raw}
    assert code == EXIT_FAILED
    assert seconds < COMMAND_TIMEOUT + MARGIN_SECONDS
    state = status(config, capsys)
    assert state["consecutive_failures"] == 1
    last_error = str(state["last_error"])
    assert error in last_error
    assert "\n" not in last_error
    rows = messages(config, capsys)
    if case in REFUSED_LITERALS:
        [row] = rows
        assert (row["outcome"], row["uid"], row["raw_path"]) == ("failed", 1, "")
        assert "not fetched: the server announced" in str(row["reason"])
    else:
        assert rows == []


def test_a_message_the_server_lied_about_goes_to_the_failed_folder_next_cycle(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lying, normal = submission(subject="Valehteleva koko"), submission(subject="Tavallinen")
    with ScriptedImapServer(CASES["lying_size"][0], {1: lying}) as server:
        config = configure(tmp_path, server.port)
        assert main(["--config", str(config), "poll"]) == EXIT_FAILED
        server.script = Script()
        server.mailbox.inbox[2] = normal
        assert main(["--config", str(config), "poll"]) == EXIT_OK
        assert server.mailbox.inbox == {}
        assert server.mailbox.folders["Virheelliset"] == [lying]
        assert server.mailbox.folders[imap_utf7.encode("Käsitellyt").decode()] == [normal]
    outcomes = [(row["uid"], row["outcome"]) for row in messages(config, capsys)]
    assert outcomes == [(1, Outcome.FAILED.value), (2, Outcome.DRAFT.value)]
    assert status(config, capsys)["consecutive_failures"] == 0


def test_under_the_daemon_a_violating_server_is_a_failed_cycle_to_back_off_from(
    tmp_path: Path,
) -> None:
    """A cycle that `run_cycle` reports failed is what makes the daemon back off; nothing may
    escape it."""
    with ScriptedImapServer(CASES["uid_too_large"][0], {1: submission()}) as server:
        app = open_app(load_settings(configure(tmp_path, server.port)))
        try:
            with Pipeline(app) as pipeline:
                poller = MailboxPoller(app, app.settings.mailboxes[0], pipeline)
                cycle = run_cycle(app, poller, threading.Event())
                assert not cycle.ok and "MailboxProtocolError" in cycle.error
        finally:
            app.close()
