"""The throwaway Dovecot behaves like the real servers the poller will meet."""

from __future__ import annotations

import email
import io
import ssl
import tempfile
from pathlib import Path

import pytest
from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from PIL import Image

from devserver.dovecot import DovecotServer, DovecotStartError
from devserver.samples import SAMPLE_NAMES, photo_jpeg, sample_submissions, samples

pytestmark = pytest.mark.dovecot


def test_imaps_login_succeeds_with_the_throwaway_ca(dovecot: DovecotServer) -> None:
    imap = dovecot.client("editor", tls=True)
    try:
        assert imap.folder_exists("INBOX")
    finally:
        imap.logout()


def test_imaps_refuses_a_context_that_does_not_trust_the_ca(dovecot: DovecotServer) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        IMAPClient(
            dovecot.host,
            port=dovecot.imaps_port,
            ssl=True,
            ssl_context=ssl.create_default_context(),
            timeout=5,
        )


def test_server_offers_move_uidplus_and_idle(dovecot: DovecotServer) -> None:
    imap = dovecot.client("editor")
    try:
        capabilities = set(imap.capabilities())
    finally:
        imap.logout()
    assert {b"MOVE", b"UIDPLUS", b"IDLE"} <= capabilities


def test_wrong_password_is_refused(dovecot: DovecotServer, fresh_mailbox: tuple[str, str]) -> None:
    user, _ = fresh_mailbox
    imap = IMAPClient(dovecot.host, port=dovecot.imap_port, ssl=False, timeout=5)
    try:
        with pytest.raises(LoginError):
            imap.login(user, "not-the-password")
    finally:
        imap.shutdown()


def test_appended_sample_can_be_fetched_back_unchanged(
    dovecot: DovecotServer, fresh_mailbox: tuple[str, str]
) -> None:
    user, _ = fresh_mailbox
    raw = sample_submissions()[0]
    uid = dovecot.append(user, "INBOX", raw)
    imap = dovecot.client(user)
    try:
        imap.select_folder("INBOX", readonly=True)
        fetched = imap.fetch([uid], ["BODY.PEEK[]"])[uid][b"BODY[]"]
    finally:
        imap.logout()
    assert (
        email.message_from_bytes(fetched)["Message-ID"]
        == email.message_from_bytes(raw)["Message-ID"]
    )
    assert fetched.replace(b"\r\n", b"\n") == raw.replace(b"\r\n", b"\n")


def test_folder_with_umlauts_can_be_created_and_selected(
    dovecot: DovecotServer, fresh_mailbox: tuple[str, str]
) -> None:
    user, _ = fresh_mailbox
    dovecot.create_folder(user, "Käsitellyt")
    imap = dovecot.client(user)
    try:
        names = [name for _flags, _sep, name in imap.list_folders()]
        selected = imap.select_folder("Käsitellyt")
    finally:
        imap.logout()
    assert "Käsitellyt" in names
    assert selected[b"EXISTS"] == 0


def test_fresh_mailboxes_are_separate(
    dovecot: DovecotServer, fresh_mailbox: tuple[str, str]
) -> None:
    user, _ = fresh_mailbox
    other, _ = dovecot.fresh_user()
    dovecot.append(user, "INBOX", sample_submissions()[1])
    assert dovecot.list_uids(other, "INBOX") == []


def test_restart_keeps_mail_and_ports() -> None:
    with DovecotServer() as server:
        uid = server.append("editor", "Saapuneet", sample_submissions()[0], flags=[r"\Seen"])
        ports = (server.imap_port, server.imaps_port)
        server.restart()
        assert (server.imap_port, server.imaps_port) == ports
        assert server.list_uids("editor", "Saapuneet") == [uid]


def test_server_in_a_given_directory_keeps_it_after_close() -> None:
    # Not tmp_path: pytest resets its temp root to 0700 whenever another session starts.
    with tempfile.TemporaryDirectory() as tmp:
        base_dir = Path(tmp) / "dovecot"
        with DovecotServer(base_dir, users={"toimittaja": "salasana"}) as server:
            server.append("toimittaja", "INBOX", sample_submissions()[0])
        assert (base_dir / "dovecot.log").exists()


def test_two_servers_run_side_by_side() -> None:
    with DovecotServer() as first, DovecotServer() as second:
        first.append("editor", "INBOX", sample_submissions()[0])
        assert first.imap_port != second.imap_port
        assert second.list_uids("editor", "INBOX") == []


def test_stopped_server_refuses_connections() -> None:
    with DovecotServer() as server:
        server.stop()
        with pytest.raises(ConnectionRefusedError):
            IMAPClient(server.host, port=server.imap_port, ssl=False, timeout=5)


def test_every_sample_round_trips_through_the_server(
    dovecot: DovecotServer, fresh_mailbox: tuple[str, str]
) -> None:
    user, _ = fresh_mailbox
    raws = sample_submissions()
    uids = [dovecot.append(user, "INBOX", raw) for raw in raws]
    imap = dovecot.client(user)
    try:
        imap.select_folder("INBOX", readonly=True)
        fetched = imap.fetch(uids, ["BODY.PEEK[]"])
    finally:
        imap.logout()
    assert [fetched[uid][b"BODY[]"] for uid in uids] == raws


def test_samples_are_deterministic_and_cover_the_non_submission_case() -> None:
    assert sample_submissions() == sample_submissions()
    assert [sample.name for sample in samples()] == list(SAMPLE_NAMES)
    assert any(not sample.is_submission for sample in samples())


def test_photo_carries_the_requested_exif_orientation_and_gps() -> None:
    with Image.open(io.BytesIO(photo_jpeg(640, 480, orientation=6, gps=True))) as photo:
        exif = photo.getexif()
        assert photo.size == (640, 480)
        assert exif[0x0112] == 6
        assert exif.get_ifd(0x8825)[1] == "N"


def test_missing_dovecot_binary_is_reported_with_the_install_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("devserver.dovecot.DOVECOT_BINARY", str(tmp_path / "no-dovecot"))
    with pytest.raises(DovecotStartError, match="apt-get install dovecot-imapd"), DovecotServer():
        pass
