"""`practices review list` and `show` as editors and scripts see them, in Finnish and English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from practices.cli import main
from tests.configs import write_config
from tests.unit.review.conftest import Builder


@pytest.fixture
def config(tmp_path: Path, engine: object) -> str:
    return str(write_config(tmp_path / "practices.toml", storage={"fsync": False}))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_prints_a_finnish_table(
    config: str, build: Builder, capsys: pytest.CaptureFixture[str]
) -> None:
    build(flags=("no_photo",), theme="open_data")
    code, out, _ = run(capsys, "--config", config, "review", "list")
    assert code == 0
    header = out.splitlines()[0]
    assert header.split() == [
        "nro",
        "saapunut",
        "organisaatio",
        "otsikko",
        "teema",
        "huomiot",
        "tila",
    ]
    row = out.splitlines()[2]
    assert "6.5.2025" in row and "avoin data" in row and "luonnos" in row


def test_list_in_english(config: str, build: Builder, capsys: pytest.CaptureFixture[str]) -> None:
    build(theme="open_data")
    code, out, _ = run(capsys, "--config", config, "review", "list", "--lang", "en")
    assert code == 0
    assert out.splitlines()[0].split()[:3] == ["id", "received", "organisation"]
    assert "2025-05-06" in out and "open data" in out and "draft" in out


def test_list_json_has_the_stable_keys(
    config: str, build: Builder, capsys: pytest.CaptureFixture[str]
) -> None:
    draft_id = build(flags=("no_photo", "forwarded"))
    code, out, _ = run(capsys, "--config", config, "review", "list", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows == [
        {
            "id": draft_id,
            "received_at": "2025-05-06T09:30:00+00:00",
            "organisation": "Esimerkkilän kaupunki",
            "title": "Selkokielinen lupapalvelu",
            "theme": "understandability",
            "flag_count": 2,
            "open_flag_count": 2,
            "blocking_flag_count": 0,
            "status": "draft",
        }
    ]


def test_show_prints_finnish_headings_flags_and_raw_path(
    config: str, build: Builder, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    draft_id = build(flags=("no_photo",))
    code, out, _ = run(capsys, "--config", config, "review", "show", str(draft_id))
    assert code == 0
    for heading in ("Mitä tehtiin ja miksi?", "Mitä saatiin aikaiseksi?", "Mitä jatkossa?"):
        assert f"== {heading} ==" in out
    assert "== Lisätietoa ==" in out
    assert "- [tiedoksi] Viestissä ei ollut käyttökelpoista valokuvaa." in out
    assert "[no_photo]" not in out
    assert "ymmärrettävyys" in out
    assert str(data_dir / "raw") in out


def test_show_in_english_uses_english_headings(
    config: str, build: Builder, capsys: pytest.CaptureFixture[str]
) -> None:
    draft_id = build()
    _, out, _ = run(capsys, "--config", config, "review", "show", str(draft_id), "--lang", "en")
    assert "== What was done and why? ==" in out
    assert "Original message" in out


def test_show_json_has_the_stable_shape(
    config: str, build: Builder, capsys: pytest.CaptureFixture[str]
) -> None:
    draft_id = build(photos=({"web_path": "photos/aa/a.jpg", "width": 800},))
    _, out, _ = run(capsys, "--config", config, "review", "show", str(draft_id), "--json")
    shown = json.loads(out)
    assert set(shown["sections"]) == {"what_and_why", "achieved", "next_steps", "more_info"}
    assert shown["message"]["message_id"] == "<m1@esimerkkila.fi>"
    assert shown["message"]["raw_path"].startswith("raw/")
    assert shown["photos"][0]["web_path"] == "photos/aa/a.jpg"
    assert shown["version"] == 1
    for key in ("flags", "passed_rules", "edited_fields", "approved_at", "field_sources"):
        assert key in shown


def test_unknown_draft_fails_with_a_finnish_message(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--config", config, "review", "show", "42")
    assert code == 1
    assert "Luonnosta #42 ei ole." in err


def test_edit_set_theme_approve_and_history(
    config: str, build: Builder, capsys: pytest.CaptureFixture[str]
) -> None:
    draft_id = build(theme=None)
    base = ("--config", config, "review")
    assert (
        run(capsys, *base, "edit", str(draft_id), "--set", "title=Uusi", "--editor", "anna")[0] == 0
    )
    assert run(capsys, *base, "theme", str(draft_id), "avoin data", "--editor", "anna")[0] == 0
    assert run(capsys, *base, "approve", str(draft_id), "--editor", "pekka")[0] == 0
    _, out, _ = run(capsys, *base, "history", str(draft_id), "--json")
    events = json.loads(out)
    assert [(e["actor"], e["action"]) for e in events] == [
        ("anna", "edit"),
        ("anna", "theme"),
        ("pekka", "approve"),
    ]


def test_approve_blocked_by_a_blocking_flag_exits_1_and_names_it_in_finnish(
    config: str, build: Builder, capsys: pytest.CaptureFixture[str]
) -> None:
    draft_id = build(flags=("no_photo", "spam_verdict"))
    code, _, err = run(capsys, "--config", config, "review", "approve", str(draft_id))
    assert code == 1
    assert "roskapostia" in err and "dismiss" in err and "--force" in err
    assert "spam_verdict" not in err and "ei kuvaa" not in err


def test_edit_in_editor_saves_after_confirmation_flag(
    config: str,
    build: Builder,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    draft_id = build(title="Vanha")
    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import sys, pathlib\n"
        "p = pathlib.Path(sys.argv[1])\n"
        "p.write_text(p.read_text(encoding='utf-8').replace('Vanha', 'Uusi'), encoding='utf-8')\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("EDITOR", f"{sys_executable()} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    code, out, _ = run(capsys, "--config", config, "review", "edit", str(draft_id), "--yes")
    assert code == 0
    assert "-Vanha" in out and "+Uusi" in out
    _, shown, _ = run(capsys, "--config", config, "review", "show", str(draft_id), "--json")
    assert json.loads(shown)["title"] == "Uusi"


def sys_executable() -> str:
    import sys

    return sys.executable


def test_export_and_purge_commands(
    config: str, build: Builder, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    draft_id = build(theme="open_data")
    base = ("--config", config)
    assert run(capsys, *base, "review", "approve", str(draft_id))[0] == 0
    out_dir = tmp_path / "vienti"
    code, out, _ = run(capsys, *base, "export", "--format", "html", "--out", str(out_dir))
    assert code == 0 and "Vietiin käytäntöjä: 1" in out
    assert (out_dir / "index.html").exists()
    code, out, _ = run(capsys, *base, "purge", "--dry-run", "--json")
    assert code == 0 and json.loads(out)["drafts"] == 0
