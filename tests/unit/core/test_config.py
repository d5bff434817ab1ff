"""The configuration file: the example loads, and every mistake names the file and the key."""

from __future__ import annotations

import os
from dataclasses import replace
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


def run(path: Path, command: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`practices --config PATH COMMAND`: its exit code, stdout and stderr."""
    code = main(["--config", str(path), command])
    out, err = capsys.readouterr()
    return code, out, err


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
    code, out, _err = run(write(tmp_path, MINIMAL_MAILBOX), "check-config", capsys)
    assert code == 0
    assert "PRACTICES_TEST_PW" in out
    assert "very-secret-value" not in out


def test_config_path_comes_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "PRACTICES_CONFIG", os.fspath(write(tmp_path, "[schedule]\ninterval_seconds = 60\n"))
    )
    assert load_settings().interval_seconds == 60


@pytest.mark.parametrize(
    ("text", "command", "exit_code", "words"),
    [
        ("[schedule\ninterval_seconds = 1\n", "check-config", 2, "config.toml: is not valid TOML"),
        ('[database]\nurl = "postgresql+psycopg://x@127.0.0.1:1/no"\n', "status", 1, "database"),
    ],
    ids=["broken file", "unreachable database"],
)
def test_a_failure_is_named_with_its_exit_code_and_no_traceback(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    text: str,
    command: str,
    exit_code: int,
    words: str,
) -> None:
    code, _out, err = run(write(tmp_path, text), command, capsys)
    assert code == exit_code
    assert words in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        ('[logging]\nlevel = "LOUD"\n', "logging.level", "one of DEBUG, INFO"),
        (MINIMAL_MAILBOX + 'security = "ssl"\n', "mailbox[0].security", "one of tls, starttls"),
        (MINIMAL_MAILBOX + 'folder = " "\n', "mailbox[0].folder", "must not be empty"),
        (MINIMAL_MAILBOX.replace('name = "avoinhallinto"\n', ""), "mailbox[0].name", "required"),
        ("limits = 5\n", "limits", "must be a table"),
        ("[mailbox]\nname = 'x'\n", "mailbox", "array of tables"),
        ("[organisations]\n'vm.fi' = 1\n", "organisations", "table of strings"),
        ('[senders]\npublic_domains = "*.fi"\n', "senders.public_domains", "list of strings"),
        ('[database]\nurl = "mysql://db/x"\n', "database.url", "sqlite:/// or postgresql://"),
        ('[database]\nurl = "postgresql:s3cret"\n', "database.url", "not a valid URL"),
        ("[processing]\nworkers = true\n", "processing.workers", "a whole number"),
        ('[logging]\nformat = "xml"\n', "logging.format", "one of text, json"),
        ('[metrics]\nbind = "0.0.0.0:9464"\n', "metrics.bind", "loopback address only"),
        ('[metrics]\nbind = "127.0.0.1"\n', "metrics.bind", "must be host:port"),
        ('[metrics]\nbind = "127.0.0.1:70000"\n', "metrics.bind", "must be host:port"),
    ],
)
def test_a_value_outside_its_declaration_names_the_file_and_the_key(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert (caught.value.path, caught.value.key) == (str(path), key)
    assert words in caught.value.problem


def test_starttls_defaults_to_port_143_unless_a_port_is_given(tmp_path: Path) -> None:
    starttls = MINIMAL_MAILBOX + 'security = "starttls"\n'
    assert load_settings(write(tmp_path, starttls)).mailboxes[0].port == 143
    assert load_settings(write(tmp_path, starttls + "port = 1143\n")).mailboxes[0].port == 1143


def test_a_relative_data_dir_is_taken_from_the_file_s_directory(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, '[storage]\ndata_dir = "var/data"\n'))
    assert settings.data_dir == tmp_path / "var" / "data"


def test_domains_and_own_addresses_are_compared_in_lower_case(tmp_path: Path) -> None:
    text = '[senders]\nown_addresses = ["Info@VM.fi"]\n[organisations]\n"VM.fi" = "VM"\n'
    settings = load_settings(write(tmp_path, text))
    assert settings.own_addresses == ("info@vm.fi",)
    assert settings.organisations == {"vm.fi": "VM"}


def test_check_config_prints_a_file_that_loads_to_the_same_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = load_settings(REPO / "config.example.toml")
    code, out, err = run(REPO / "config.example.toml", "check-config", capsys)
    assert code == 1  # the example's password file does not exist on this machine...
    assert "/etc/practice-inbox/imap-password: password_file: cannot read" in err
    printed = load_settings(write(tmp_path, out))
    assert printed.database_url == original.database_url  # printed as the URL in effect
    assert replace(printed, source=original.source, database=original.database) == original
