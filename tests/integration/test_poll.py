"""Mailbox to draft on a real Dovecot: every message ends recorded once and moved on."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from ingest.imap_source import ImapSource
from store.models import InboundMessage, PracticeDraft
from tests.integration.harness import Installation
from tests.mail import submission

pytestmark = pytest.mark.dovecot


def test_poll_makes_a_draft_and_moves_the_message_to_processed(inst: Installation) -> None:
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    [row] = inst.rows(InboundMessage)
    assert row.outcome == "draft"
    assert row.server_done
    assert row.uidvalidity is not None and row.uid is not None
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Käsitellyt")) == 1
    raw_file = inst.app().blobs.path_of(row.raw_path)
    assert raw_file.read_bytes().startswith(b"From: Maija")


def test_second_poll_creates_nothing(inst: Installation) -> None:
    for n in range(3):
        inst.deliver(submission(subject=f"Käytäntö {n}"))
    assert inst.cli("poll") == 0
    assert inst.cli("poll") == 0
    assert len(inst.rows(InboundMessage)) == 3
    assert len(inst.rows(PracticeDraft)) == 3


def test_fetch_never_marks_mail_seen(inst: Installation) -> None:
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    client = inst.server.client(inst.user)
    try:
        client.select_folder("Käsitellyt", readonly=True)
        flags = client.get_flags(client.search("ALL"))
    finally:
        client.logout()
    assert all(b"\\Seen" not in f for f in flags.values())


def test_auto_reply_is_ignored_with_its_reason_and_moved(inst: Installation) -> None:
    inst.deliver(submission(subject="Automaattinen vastaus: Poissa", Auto_Submitted="auto-replied"))
    assert inst.cli("poll") == 0
    [row] = inst.rows(InboundMessage)
    assert row.outcome == "ignored"
    assert row.reason.startswith("auto_reply")
    assert len(inst.rows(PracticeDraft)) == 0
    assert len(inst.uids("Käsitellyt")) == 1


def test_oversize_message_is_failed_unfetched_and_moved_to_failed_folder(
    inst: Installation,
) -> None:
    inst.configure(limits={"max_message_bytes": 20000})
    inst.deliver(submission(body="iso liite " * 5000))
    assert inst.cli("poll") == 0
    [row] = inst.rows(InboundMessage)
    assert row.outcome == "failed"
    assert "too large" in row.reason and "max_message_bytes" in row.reason
    assert row.raw_sha256 is None
    assert row.subject == "Selkokielinen lomake"
    assert len(inst.uids("Virheelliset")) == 1


def test_uidvalidity_change_rematches_by_content(inst: Installation) -> None:
    inst.configure(mailbox={"folder": "Saapuneet"})
    raw = submission()
    inst.deliver(raw, "Saapuneet")
    assert inst.cli("poll") == 0
    inst.server.delete_folder(inst.user, "Saapuneet")
    inst.deliver(raw, "Saapuneet")  # recreated: new UIDVALIDITY, same message restored
    assert inst.cli("poll") == 0
    assert len(inst.rows(InboundMessage)) == 1
    assert len(inst.rows(PracticeDraft)) == 1
    assert inst.uids("Saapuneet") == []


def test_untrusted_certificate_is_refused_with_a_clear_error(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.configure(mailbox={"ca_file": ""})
    inst.deliver(submission())
    assert inst.cli("poll") == 1
    assert "certificate" in capsys.readouterr().err
    assert inst.rows(InboundMessage) == []
    assert len(inst.uids("INBOX")) == 1


def test_wrong_password_gives_a_clear_error_and_nonzero_exit(
    inst: Installation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(inst.password_env, "Pa55-nope-xyz")
    assert inst.cli("poll") == 1
    err = capsys.readouterr().err
    assert "refused the login" in err and inst.password_env in err
    assert "Pa55-nope-xyz" not in err


def test_missing_watched_folder_lists_the_existing_ones(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.configure(mailbox={"folder": "Puuttuu"})
    assert inst.cli("poll") == 1
    err = capsys.readouterr().err
    assert "'Puuttuu' does not exist" in err and "INBOX" in err


def test_plain_imap_on_loopback_works(inst: Installation) -> None:
    inst.configure(mailbox={"security": "plain"})
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    assert [r.outcome for r in inst.rows(InboundMessage)] == ["draft"]


def test_crash_between_commit_and_move_only_moves_on_next_poll(
    inst: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    inst.deliver(submission())
    original_move = ImapSource.move

    def dropped_connection(
        self: ImapSource, uids: object, folder: str, *, interrupted: bool = False
    ) -> None:
        raise ConnectionResetError("connection dropped before MOVE")

    monkeypatch.setattr(ImapSource, "move", dropped_connection)
    with pytest.raises(ConnectionResetError):
        inst.cli("poll")
    assert [r.server_done for r in inst.rows(InboundMessage)] == [False]
    monkeypatch.setattr(ImapSource, "move", original_move)
    assert inst.cli("poll") == 0
    assert len(inst.rows(InboundMessage)) == 1 and inst.rows(InboundMessage)[0].server_done
    assert len(inst.rows(PracticeDraft)) == 1
    assert inst.uids("INBOX") == []


def test_messages_json_lists_every_inbound_message(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    capsys.readouterr()
    assert inst.cli("messages", "--json") == 0
    [item] = json.loads(capsys.readouterr().out)
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    documented = re.search(r"`practices messages --json`: a list of `\{(.*?)\}`", readme, re.S)
    assert documented is not None
    assert set(item) == {name.strip() for name in documented.group(1).split(",")}
    assert item["outcome"] == "draft" and item["draft_id"] is not None
    assert item["message_id"].endswith("@vm.fi")
    assert len(item["raw_sha256"]) == 64


def test_out_of_date_schema_is_refused_with_the_command_to_run(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    from core.config import load_settings
    from store import schema
    from store.db import make_engine

    engine = make_engine(load_settings(inst.config_path).database_url)
    schema.downgrade(engine, "base")
    engine.dispose()
    assert inst.cli("poll") == 3
    assert "practices db upgrade" in capsys.readouterr().err


def test_mail_from_a_mime_part_odd_message_is_still_recorded(inst: Installation) -> None:
    odd = EmailMessage()
    odd["From"] = "x@y.fi"
    odd["Subject"] = "=?x-unknown?q?Hyv=E4?="
    odd.set_content(b"\xff\xfe\x00broken", maintype="application", subtype="octet-stream")
    inst.deliver(odd.as_bytes())
    assert inst.cli("poll") == 0
    [row] = inst.rows(InboundMessage)
    assert row.outcome in ("draft", "failed")
    assert row.raw_path


@pytest.mark.parametrize("missing", [{"MOVE"}, {"MOVE", "UIDPLUS"}])
def test_servers_without_move_get_copy_delete_expunge(
    inst: Installation, monkeypatch: pytest.MonkeyPatch, missing: set[str]
) -> None:
    from ingest.imap_source import ImapSource

    original_connect = ImapSource.connect

    def connect_without(self: ImapSource) -> None:
        original_connect(self)
        self.capabilities = self.capabilities - missing

    monkeypatch.setattr(ImapSource, "connect", connect_without)
    for n in range(2):
        inst.deliver(submission(subject=f"Ilman MOVEa {n}"))
    assert inst.cli("poll") == 0
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Käsitellyt")) == 2
    assert inst.cli("poll") == 0
    assert len(inst.rows(InboundMessage)) == 2


def test_a_batch_is_fetched_in_pieces_that_bound_memory(
    inst: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """However large `fetch_batch_bytes`, one FETCH asks for FETCH_COMMAND_BYTES at most."""
    for n in range(5):
        inst.deliver(submission(subject=f"Kokeilu {n}"))
    asked: list[list[int]] = []
    original = ImapSource.fetch

    def fetch(self: ImapSource, uids: list[int]) -> Iterator[tuple[int, bytes]]:
        asked.append(list(uids))
        yield from original(self, uids)

    monkeypatch.setattr(ImapSource, "fetch", fetch)
    monkeypatch.setattr("ingest.poller.FETCH_COMMAND_BYTES", 1)  # a message travels alone
    assert inst.cli("poll") == 0
    assert asked == [[1], [2], [3], [4], [5]]
    assert len(inst.rows(PracticeDraft)) == 5
    assert inst.uids("INBOX") == []
