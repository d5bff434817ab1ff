"""One configuration, every server: Dovecot, Dovecot with an "INBOX." namespace, and Courier.

Folder names are written as in the TOML ("Käsitellyt/2026"); each server stores them in its
own form, which `server.folder(...)` knows from how the server was set up. What depends on the
folder names runs on each server (`imap_server`), so a difference between servers cannot hide
in one of them; what depends on the server's behaviour, not its names (a SIGKILL mid-poll),
runs on the two different servers, Dovecot and Courier (`on_servers`).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from core.errors import MailboxConnectionError
from devserver.courier import CourierServer
from devserver.imap_server import ImapTestServer
from ingest.imap_source import ImapSource
from tests.integration.harness import Installation, new_installation
from tests.mail import submission

pytestmark = pytest.mark.dovecot


def on_servers(*names: str) -> pytest.MarkDecorator:
    """Run a test on these servers only (fixture names of `tests.conftest.IMAP_SERVERS`)."""
    return pytest.mark.parametrize("imap_server", names, indirect=True)


@pytest.fixture
def inst(
    imap_server: ImapTestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Installation:
    return new_installation(imap_server, tmp_path, monkeypatch.setenv)


def test_default_folder_names_work_unchanged(inst: Installation) -> None:
    for n in range(3):
        inst.deliver(submission(subject=f"Käytäntö {n}"))
    assert inst.cli("poll") == 0
    assert inst.cli("poll") == 0
    assert inst.stored() == (3, 3, 3)
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Käsitellyt")) == 3
    assert inst.server.folder("Käsitellyt") in inst.server.folder_names(inst.user)
    assert inst.cli("verify") == 0


def test_nested_folder_names_with_umlauts_are_created_in_the_servers_form(
    inst: Installation,
) -> None:
    inst.configure(
        mailbox={"processed_folder": "Käsitellyt/2026", "failed_folder": "Virheelliset/Hylätyt"},
        limits={"max_message_bytes": 20000},
    )
    inst.deliver(submission())
    inst.deliver(submission(body="iso liite " * 5000))
    assert inst.cli("poll") == 0
    names = inst.server.folder_names(inst.user)
    assert inst.server.folder("Käsitellyt/2026") in names
    assert inst.server.folder("Virheelliset/Hylätyt") in names
    assert len(inst.uids("Käsitellyt/2026")) == 1
    assert len(inst.uids("Virheelliset/Hylätyt")) == 1
    assert inst.cli("verify") == 0


def test_a_name_in_the_servers_own_form_is_used_as_is(inst: Installation) -> None:
    own_form = inst.server.folder("Käsitellyt")
    inst.configure(mailbox={"processed_folder": own_form})
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    assert len(inst.server.list_uids(inst.user, own_form)) == 1
    assert sorted(inst.server.folder_names(inst.user)).count(own_form) == 1


def test_copy_delete_and_uid_expunge_move_the_mail_where_move_is_missing(
    inst: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    original_connect = ImapSource.connect
    seen: list[frozenset[str]] = []

    def connect_without_move(self: ImapSource) -> None:
        original_connect(self)
        self.capabilities = self.capabilities - {"MOVE"}  # Courier has none to begin with
        seen.append(self.capabilities)

    monkeypatch.setattr(ImapSource, "connect", connect_without_move)
    for n in range(2):
        inst.deliver(submission(subject=f"Ilman MOVEa {n}"))
    assert inst.cli("poll") == 0
    assert all("UIDPLUS" in capabilities for capabilities in seen)  # so UID EXPUNGE was used
    assert inst.uids("INBOX") == []  # none left behind, \Deleted or not
    assert len(inst.uids("Käsitellyt")) == 2
    assert inst.cli("poll") == 0
    assert inst.stored() == (2, 2, 2)
    assert inst.cli("verify") == 0


@on_servers("dovecot", "courier")
def test_a_move_cut_after_its_copy_is_finished_without_a_second_copy(
    inst: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    original_connect, original_move = ImapSource.connect, ImapSource.move

    def connect_without_move(self: ImapSource) -> None:
        original_connect(self)
        self.capabilities = self.capabilities - {"MOVE"}

    def copy_then_drop_the_connection(
        self: ImapSource, uids: list[int], folder: str, *, interrupted: bool = False
    ) -> None:
        self.call(self.limits("COPY"), self.client.copy, sorted(uids), self.server_name(folder))
        raise MailboxConnectionError("connection lost after COPY (injected)")

    monkeypatch.setattr(ImapSource, "connect", connect_without_move)
    monkeypatch.setattr(ImapSource, "move", copy_then_drop_the_connection)
    for n in range(2):
        inst.deliver(submission(subject=f"Katkennut siirto {n}"))
    assert inst.cli("poll") == 1
    assert (len(inst.uids("INBOX")), len(inst.uids("Käsitellyt"))) == (2, 2)  # in both
    monkeypatch.setattr(ImapSource, "move", original_move)
    inst.deliver(submission(subject="Uusi viesti"))  # an ordinary move in the same cycle
    assert inst.cli("poll") == 0
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Käsitellyt")) == 3
    assert inst.stored() == (3, 3, 3)
    assert inst.cli("verify") == 0


def test_uidvalidity_change_rematches_by_content(inst: Installation) -> None:
    inst.configure(mailbox={"folder": "Saapuneet"})
    raw = submission()
    inst.deliver(raw, "Saapuneet")
    assert inst.cli("poll") == 0
    inst.server.delete_folder(inst.user, inst.server.folder("Saapuneet"))
    inst.deliver(raw, "Saapuneet")  # recreated: new UIDVALIDITY, same message restored
    assert inst.cli("poll") == 0
    assert inst.stored() == (1, 1, 1)
    assert inst.uids("Saapuneet") == []


MESSAGES = 16


@on_servers("dovecot", "courier")
def test_sigkill_mid_poll_then_poll_again_loses_and_doubles_nothing(inst: Installation) -> None:
    inst.configure(mailbox={"fetch_batch_bytes": 1})  # one message a batch: many commits
    for n in range(MESSAGES):
        inst.deliver(
            submission(subject=f"Kokeilu {n}", body=f"Mitä tehtiin ja miksi?\nKokeilu {n}.\n")
        )
    process = inst.cli_subprocess("poll")
    deadline = time.monotonic() + 60
    while inst.stored()[0] < 3 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert process.poll() is None, "the poll ended before it could be killed mid-way"
    process.kill()
    process.communicate(timeout=30)
    assert inst.stored()[0] < MESSAGES
    final = inst.cli_subprocess("poll")
    _out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err.decode()
    assert inst.stored() == (MESSAGES, MESSAGES, MESSAGES)
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Käsitellyt")) == MESSAGES
    assert inst.cli("verify") == 0


def test_check_config_connect_prints_what_the_server_offers_and_each_folders_server_name(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.configure(mailbox={"processed_folder": "Käsitellyt/2026"})
    assert inst.cli("check-config", "--connect") == 0
    out = capsys.readouterr().out
    server, ok = inst.server, "# ok: mailbox avoinhallinto"
    has_move = not isinstance(server, CourierServer)
    move = "yes" if has_move else "no"
    assert f"{ok} capabilities: MOVE {move}, UIDPLUS yes, IDLE yes, NAMESPACE yes" in out
    prefix, delimiter = server.namespace_prefix, server.separator
    assert f'{ok} namespace: personal prefix "{prefix}", delimiter "{delimiter}"' in out
    assert f'{ok} folder: "INBOX" -> INBOX (exists)' in out
    nested = server.folder("Käsitellyt/2026")
    assert f'{ok} processed_folder: "Käsitellyt/2026" -> {nested} (would be created)' in out
    moves = "moves by MOVE" if has_move else "moves by COPY + \\Deleted + UID EXPUNGE"
    assert f"{ok} works by: {moves}" in out
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    capsys.readouterr()
    assert inst.cli("check-config", "--connect") == 0
    assert f"-> {nested} (exists)" in capsys.readouterr().out


@on_servers("dovecot_inbox_prefix", "courier")
def test_a_missing_folder_that_may_not_be_created_fails_check_config(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.configure(mailbox={"create_missing_folders": False})
    assert inst.cli("check-config", "--connect") == 1
    missing = inst.server.folder("Käsitellyt")
    err = capsys.readouterr().err
    assert (
        f'practices: check-config: mailbox avoinhallinto processed_folder: "Käsitellyt" -> '
        f"{missing} does not exist (existing: INBOX); fix the name, or set "
        "create_missing_folders = true"
    ) in err
