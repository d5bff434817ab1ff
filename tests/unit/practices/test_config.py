"""The configuration file: the example loads, and every mistake names the file and the key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.config import load_settings
from core.errors import ConfigError
from practices.cli import main

REPO = Path(__file__).resolve().parents[3]

MINIMAL_MAILBOX = """
[[mailbox]]
name = "avoinhallinto"
host = "imap.example.fi"
username = "inbox@example.fi"
password_env = "PRACTICES_TEST_PW"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_example_config_loads_with_every_section() -> None:
    settings = load_settings(REPO / "config.example.toml")
    assert settings.mailboxes[0].processed_folder == "Käsitellyt"
    assert settings.photos.web_size == 1600
    assert settings.organisations["vm.fi"] == "Valtiovarainministeriö"
    assert settings.database_url.endswith("/var/lib/practice-inbox/practices.db")


def test_empty_file_gives_defaults_and_sqlite_inside_data_dir(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""))
    assert settings.interval_seconds == 300
    assert settings.data_dir == tmp_path / "data"
    assert settings.database_url == f"sqlite:///{tmp_path / 'data' / 'practices.db'}"


def test_wrong_type_names_file_and_dotted_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[schedule]\ninterval_seconds = "often"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert caught.value.key == "schedule.interval_seconds"
    assert str(path) in str(caught.value)


def test_unknown_key_is_an_error_not_ignored(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, "[photos]\nweb_sise = 1200\n"))
    assert caught.value.key == "photos.web_sise"


def test_password_in_toml_is_refused(tmp_path: Path) -> None:
    text = MINIMAL_MAILBOX + 'password = "hunter2"\n'
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text))
    assert caught.value.key == "mailbox[0].password"
    assert "hunter2" not in str(caught.value)


def test_plain_imap_to_a_remote_host_is_refused(tmp_path: Path) -> None:
    text = MINIMAL_MAILBOX + 'security = "plain"\n'
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text))
    assert caught.value.key == "mailbox[0].security"


def test_plain_imap_to_loopback_is_allowed(tmp_path: Path) -> None:
    text = MINIMAL_MAILBOX.replace("imap.example.fi", "127.0.0.1") + 'security = "plain"\n'
    assert load_settings(write(tmp_path, text)).mailboxes[0].port == 143


def test_password_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    secret.chmod(0o644)
    text = MINIMAL_MAILBOX.replace(
        'password_env = "PRACTICES_TEST_PW"', f'password_file = "{secret}"'
    )
    mailbox = load_settings(write(tmp_path, text)).mailboxes[0]
    with pytest.raises(ConfigError, match="chmod 600"):
        mailbox.password()
    secret.chmod(0o600)
    assert mailbox.password() == "s3cret"


def test_missing_password_variable_names_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PRACTICES_TEST_PW", raising=False)
    mailbox = load_settings(write(tmp_path, MINIMAL_MAILBOX)).mailboxes[0]
    with pytest.raises(ConfigError, match="PRACTICES_TEST_PW"):
        mailbox.password()


def test_check_config_masks_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PRACTICES_TEST_PW", "very-secret-value")
    assert main(["--config", str(write(tmp_path, MINIMAL_MAILBOX)), "check-config"]) == 0
    out = capsys.readouterr().out
    assert "PRACTICES_TEST_PW" in out
    assert "very-secret-value" not in out


def test_broken_config_exits_2_with_one_line_and_no_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "[schedule\ninterval_seconds = 1\n")
    assert main(["--config", str(path), "check-config"]) == 2
    err = capsys.readouterr().err
    assert str(path) in err
    assert "Traceback" not in err


def test_config_path_comes_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "PRACTICES_CONFIG", os.fspath(write(tmp_path, "[schedule]\ninterval_seconds = 60\n"))
    )
    assert load_settings().interval_seconds == 60


def test_unreachable_database_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, '[database]\nurl = "postgresql+psycopg://nobody@127.0.0.1:1/none"\n')
    assert main(["--config", str(path), "status"]) == 1
    err = capsys.readouterr().err
    assert "database unavailable" in err and "Traceback" not in err
