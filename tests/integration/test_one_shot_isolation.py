"""One-shot `poll` and `import` isolate every message as the daemon does: a message that hangs
or kills its worker is recorded failed (and moved), and the command goes on with the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from devserver.dovecot import DovecotServer
from practices.cli import EXIT_OK, main
from tests.configs import write_config
from tests.integration import worker_crash_helpers
from tests.integration.harness import new_installation
from tests.mail import submission

PROCESSING = {"workers": 2, "message_timeout_seconds": 2}


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
    config = write_config(tmp_path / "practices.toml", processing=PROCESSING)
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
    inst = new_installation(dovecot, tmp_path, monkeypatch.setenv)
    inst.configure(processing=PROCESSING)
    for raw in _messages():
        inst.deliver(raw)
    assert inst.cli("poll") == EXIT_OK
    assert _outcomes(inst.config_path, capsys) == EXPECTED
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Virheelliset")) == 2
