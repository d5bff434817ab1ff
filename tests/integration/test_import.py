"""Backfill with `practices import`: files, folders, Maildir and mbox, idempotently."""

from __future__ import annotations

import json
import mailbox
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from practices.cli import main
from tests.configs import write_config
from tests.mail import submission


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = write_config(tmp_path / "practices.toml")
    assert main(["--config", str(path), "db", "upgrade"]) == 0
    return str(path)


def run_import(config: str, path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["--config", config, "import", str(path)]) == 0
    return capsys.readouterr().out


def test_a_single_eml_file_becomes_a_draft(
    config: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    eml = tmp_path / "one.eml"
    eml.write_bytes(submission())
    assert "draft 1" in run_import(config, eml, capsys)


def test_importing_a_folder_twice_creates_nothing_new(
    config: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.eml").write_bytes(submission(subject=f"Käytäntö {n}"))
    (folder / "poissa.eml").write_bytes(
        submission(subject="Automaattinen vastaus: olen lomalla", Auto_Submitted="auto-replied")
    )
    assert "draft 3, ignored 1" in run_import(config, folder, capsys)
    assert "known 4" in run_import(config, folder, capsys)


@pytest.mark.parametrize(
    "kind",
    [pytest.param(mailbox.mbox, id="mbox-file"), pytest.param(mailbox.Maildir, id="maildir")],
)
def test_a_mailbox_export_is_split_into_its_messages(
    kind: Callable[[Path], mailbox.Mailbox[Any]],
    config: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "export"
    box = kind(path)
    for n in range(2):
        box.add(submission(subject=f"Vienti {n}"))
    box.close()
    assert "draft 2" in run_import(config, path, capsys)


def test_a_missing_path_is_a_clear_error(
    config: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--config", config, "import", str(tmp_path / "nope")]) == 1
    assert "does not exist" in capsys.readouterr().err


def test_a_message_over_the_size_limit_is_recorded_failed_unread_and_only_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "practices.toml"
    path.write_text(
        f'[storage]\ndata_dir = "{tmp_path / "data"}"\n\n[limits]\nmax_message_bytes = 100000\n',
        encoding="utf-8",
    )
    config = str(path)
    assert main(["--config", config, "db", "upgrade"]) == 0
    folder = tmp_path / "vienti"
    folder.mkdir()
    (folder / "iso.eml").write_bytes(submission(subject="Iso", body="x" * 200_000))
    (folder / "pieni.eml").write_bytes(submission(subject="Pieni"))
    assert "draft 1, failed 1" in run_import(config, folder, capsys)
    assert "known 2" in run_import(config, folder, capsys)
    capsys.readouterr()
    assert main(["--config", config, "messages", "--json"]) == 0
    rows = {row["subject"]: row for row in json.loads(capsys.readouterr().out)}
    assert rows["Iso"]["outcome"] == "failed"
    assert rows["Iso"]["raw_path"] == ""
    assert rows["Iso"]["reason"].startswith("too large")
    assert len(list((tmp_path / "data" / "raw").rglob("*.eml"))) == 1  # the small one only
    assert main(["--config", config, "verify", "--store-only"]) == 0
