"""What we keep holds personal data: private file modes, and no secrets or bodies in the logs."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from core.config import load_settings
from tests.integration.harness import Installation
from tests.mail import submission

pytestmark = pytest.mark.dovecot

BODY_MARKER = "Salainen-Sisältö-7f3a"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_logs_of_a_full_poll_hold_no_password_and_no_body(inst: Installation) -> None:
    inst.configure(logging={"level": "INFO"})
    inst.deliver(submission(body=f"Mitä tehtiin ja miksi?\n{BODY_MARKER} kokeilu.\n"))
    inst.deliver(submission(subject="Automaattinen vastaus", Auto_Submitted="auto-replied"))
    process = inst.cli_subprocess("poll")
    out, err = process.communicate(timeout=120)
    logs = (out + err).decode("utf-8", "replace")
    assert process.returncode == 0, logs
    assert "uid" in logs  # the per-message lines are there...
    password = inst.server.password(inst.user)
    assert password not in logs  # ...without the password
    assert BODY_MARKER not in logs  # ...and without the body


def test_data_dir_database_and_raw_files_are_private(inst: Installation) -> None:
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    settings = load_settings(inst.config_path)
    assert mode(settings.data_dir) == 0o700
    assert mode(settings.data_dir / "practices.db") == 0o600
    raw_files = list((settings.data_dir / "raw").rglob("*.eml"))
    assert raw_files and all(mode(path) == 0o600 for path in raw_files)


def test_health_reports_a_data_dir_readable_by_others(
    inst: Installation, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    settings = load_settings(inst.config_path)
    assert inst.cli("health") == 0
    settings.data_dir.chmod(0o755)
    capsys.readouterr()
    assert inst.cli("health") == 1
    assert "chmod 700" in capsys.readouterr().out
