"""A message whose To: header makes the stdlib address parser recurse still becomes a draft."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from practices.cli import main
from tests.unit.ingest.test_mime_limits import recursive_header_message


def test_a_recursive_to_header_becomes_a_draft_with_a_defect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "practices.toml"
    config.write_text(f'[storage]\ndata_dir = "{tmp_path / "data"}"\n', encoding="utf-8")
    assert main(["--config", str(config), "db", "upgrade"]) == 0
    eml = tmp_path / "groups.eml"
    eml.write_bytes(recursive_header_message())
    assert main(["--config", str(config), "import", str(eml)]) == 0
    capsys.readouterr()
    assert main(["--config", str(config), "messages", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row["outcome"] == "draft"
    assert any("To header too complex" in defect for defect in row["defects"])
