"""What an operator meets before and around the daemon, against a real Dovecot: check-config's
checks, verify's hint, a TLS/port mix-up, folders that are missing, and poll's one summary."""

from __future__ import annotations

import pytest

from tests.integration.harness import Installation, submission

pytestmark = pytest.mark.dovecot


def use_password_file(inst: Installation, mode: int) -> None:
    password_file = inst.config_path.parent / "imap-password"
    password_file.write_text(inst.server.password(inst.user) + "\n", encoding="utf-8")
    password_file.chmod(mode)
    inst.password_env = ""  # the mailbox table names one source: the file
    inst.configure(mailbox={"password_file": password_file})


def test_check_config_connect_logs_in_to_every_mailbox(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    assert inst.cli("check-config", "--connect") == 0
    out = capsys.readouterr().out
    assert f"# ok: mailbox avoinhallinto at {inst.server.host}:" in out
    assert f"logged in as {inst.user}" in out


def test_check_config_connect_fails_on_a_refused_login(
    inst: Installation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(inst.password_env, "väärä-salasana")
    assert inst.cli("check-config") == 0  # without --connect the password is only read
    assert inst.cli("check-config", "--connect") == 1
    err = capsys.readouterr().err
    assert "practices: check-config: mailbox avoinhallinto at" in err
    assert "refused the login" in err and "väärä-salasana" not in err


def test_check_config_fails_when_the_password_variable_is_unset(
    inst: Installation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(inst.password_env)
    assert inst.cli("check-config") == 1
    err = capsys.readouterr().err
    assert f"${inst.password_env}, which is not set" in err


def test_check_config_fails_on_a_password_file_others_can_read(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    use_password_file(inst, 0o644)
    assert inst.cli("check-config") == 1
    assert "is readable by others (mode 644)" in capsys.readouterr().err
    (inst.config_path.parent / "imap-password").chmod(0o600)
    assert inst.cli("check-config", "--connect") == 0


def test_check_config_connect_names_a_missing_processed_folder(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.configure(mailbox={"create_missing_folders": False})
    assert inst.cli("check-config", "--connect") == 1
    err = capsys.readouterr().err
    assert 'processed_folder: "Käsitellyt" -> Käsitellyt does not exist (existing: INBOX)' in err
    assert 'failed_folder: "Virheelliset" -> Virheelliset does not exist' in err


def test_verify_without_the_password_points_at_store_only(
    inst: Installation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(inst.password_env)
    assert inst.cli("verify") == 2
    assert "practices verify --store-only" in capsys.readouterr().err
    assert inst.cli("verify", "--store-only") == 0


def test_tls_against_the_plain_port_says_what_to_change(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.configure(mailbox={"port": inst.server.imap_port})  # security stays "tls"
    assert inst.cli("poll") == 1
    err = capsys.readouterr().err
    port = inst.server.imap_port
    assert f"does not speak TLS on port {port}" in err
    assert f'use security = "starttls" for port {port}, or port 993' in err


def test_a_mistyped_processed_folder_is_an_error_naming_it_and_creates_nothing(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.server.create_folder(inst.user, "Käsitellyt")
    inst.server.create_folder(inst.user, "Virheelliset")
    inst.configure(mailbox={"create_missing_folders": False, "processed_folder": "Käsiteltyt"})
    inst.deliver(submission())
    assert inst.cli("poll") == 1
    err = capsys.readouterr().err
    assert "folder 'Käsiteltyt' does not exist" in err and "Käsitellyt" in err
    assert inst.uids("INBOX") != []  # nothing was fetched or moved
    client = inst.server.client(inst.user)
    try:
        assert not client.folder_exists("Käsiteltyt")
    finally:
        client.logout()


def test_creating_a_missing_folder_is_a_warning_naming_it(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    err = capsys.readouterr().err
    for folder in ("Käsitellyt", "Virheelliset"):
        expected = f"WARNING ingest.imap_folders: mailbox avoinhallinto: folder '{folder}' does "
        assert expected + "not exist; creating it (create_missing_folders)" in err


def test_poll_prints_its_summary_once(inst: Installation) -> None:
    inst.deliver(submission())
    process = inst.cli_subprocess("poll")
    out, err = process.communicate(timeout=120)
    both = out.decode() + err.decode()
    assert process.returncode == 0, both
    assert both.count("already known 0; moved 1") == 1
    assert "already known 0; moved 1" in out.decode()


def test_a_password_with_finnish_letters_logs_in(
    inst: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    """IMAP LOGIN carries ASCII only; such a password goes by AUTHENTICATE PLAIN (UTF-8)."""
    inst.deliver(submission())  # (the test's own client logs in with LOGIN: deliver first)
    inst.server.add_user(inst.user, "sala-sänä-öö")
    monkeypatch.setenv(inst.password_env, "sala-sänä-öö")
    assert inst.cli("poll") == 0
    assert inst.cli("check-config", "--connect") == 0


def test_review_list_into_a_closed_pipe_ends_quietly(
    inst: Installation, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Block-buffered stdout, as in production: the list is written at the last flush.
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)
    for n in range(3):
        inst.deliver(submission(subject=f"Käytäntö {n}"))
    assert inst.cli("poll") == 0
    with inst.cli_subprocess("review", "list") as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # like `| head` that has read enough before the list is written
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0
    assert stderr == ""
