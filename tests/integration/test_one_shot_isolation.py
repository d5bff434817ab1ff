"""One-shot `poll` and `import` isolate every message as the daemon does: a message that hangs
or kills its worker is recorded failed (and moved), and the command goes on with the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devserver.dovecot import DovecotServer
from practices.cli import EXIT_OK, main
from tests.integration import worker_crash_helpers
from tests.integration.harness import PASSWORD_ENV, submission, write_config

TIMEOUT = "\n[processing]\nworkers = 2\nmessage_timeout_seconds = 2\n"


@pytest.fixture(autouse=True)
def _misbehaving_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "ingest.workers._interpret_in_worker", worker_crash_helpers.interpret_or_misbehave
    )


def _messages() -> list[bytes]:
    return [
        submission(subject="Tavallinen ennen"),
        submission(subject="Jumittuva", body=worker_crash_helpers.HANG.decode()),
        submission(subject="Kaatuva", body=worker_crash_helpers.POISON.decode()),
        submission(subject="Tavallinen jälkeen"),
    ]


def _outcomes(config: Path, capsys: pytest.CaptureFixture[str]) -> list[tuple[str, str]]:
    capsys.readouterr()
    assert main(["--config", str(config), "messages", "--json"]) == EXIT_OK
    rows = json.loads(capsys.readouterr().out)
    return [(row["subject"], row["outcome"]) for row in rows]


EXPECTED = [
    ("Tavallinen ennen", "draft"),
    ("Jumittuva", "failed"),
    ("Kaatuva", "failed"),
    ("Tavallinen jälkeen", "draft"),
]


def test_import_records_a_hung_and_a_crashing_message_failed_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "practices.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n{TIMEOUT}', encoding="utf-8")
    assert main(["--config", str(config), "db", "upgrade"]) == EXIT_OK
    folder = tmp_path / "vienti"
    folder.mkdir()
    for number, raw in enumerate(_messages()):
        (folder / f"{number}.eml").write_bytes(raw)
    capsys.readouterr()
    assert main(["--config", str(config), "import", str(folder)]) == EXIT_OK
    assert "draft 2, failed 2" in capsys.readouterr().out
    assert _outcomes(config, capsys) == EXPECTED


@pytest.mark.dovecot
def test_poll_records_a_hung_and_a_crashing_message_failed_moves_them_and_goes_on(
    dovecot: DovecotServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    user, password = dovecot.fresh_user()
    monkeypatch.setenv(PASSWORD_ENV, password)
    config = tmp_path / "practices.toml"
    write_config(config, dovecot, user, PASSWORD_ENV, extra=TIMEOUT)
    assert main(["--config", str(config), "db", "upgrade"]) == EXIT_OK
    for raw in _messages():
        dovecot.append(user, "INBOX", raw)
    assert main(["--config", str(config), "poll"]) == EXIT_OK
    assert _outcomes(config, capsys) == EXPECTED
    assert dovecot.list_uids(user, "INBOX") == []
    assert len(dovecot.list_uids(user, "Virheelliset")) == 2
