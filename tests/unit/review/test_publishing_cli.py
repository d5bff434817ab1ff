"""`practices export` and `practices newsletter ...` as editors run them, in Finnish."""

from __future__ import annotations

import email
import json
from email import policy
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from practices.cli import main
from review import operations
from tests.configs import write_config
from tests.unit.review.conftest import Builder

BASE = {"base_url": "https://avoinhallinto.example/kokemukset"}
SENDER = {"newsletter_from": "Avoin hallinto <avoinhallinto@vm.fi>"}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def config(tmp_path: Path, **publishing: str) -> str:
    return str(
        write_config(tmp_path / "practices.toml", storage={"fsync": False}, publishing=publishing)
    )


@pytest.fixture
def approved(sessions: sessionmaker[Session], build: Builder) -> list[int]:
    ids = [
        build(title="Asukasillat", theme="participation", subject="a"),
        build(title="Öppna data", theme="open_data", language="sv", subject="b"),
    ]
    with sessions.begin() as session:
        for draft_id in ids:
            operations.approve(session, draft_id, "eeva")
    return ids


def test_an_editor_composes_an_edition_and_sees_it(
    tmp_path: Path, approved: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path)
    assert run(capsys, "--config", cfg, "newsletter", "new", "2025-05")[1].strip() == (
        "Uutiskirje 2025-05 luotu"
    )
    code, out, _ = run(capsys, "--config", cfg, "newsletter", "add", "2025-05", "2", "1")
    assert code == 0 and out.startswith("Lisätty uutiskirjeeseen 2025-05: #2, #1")
    code, out, _ = run(capsys, "--config", cfg, "newsletter", "intro", "2025-05", "Hei lukija!")
    assert code == 0
    code, out, _ = run(capsys, "--config", cfg, "newsletter", "show", "2025-05")
    lines = out.splitlines()
    assert lines[0] == "Uutiskirje 2025-05" and "  Hei lukija!" in lines
    assert lines[-2].startswith("  1. #2") and "avoin data, ruotsi" in lines[-2]
    assert lines[-1].startswith("  2. #1") and "(Esimerkkilän kaupunki) – osallisuus" in lines[-1]


def test_adding_a_practice_twice_is_refused_in_finnish(
    tmp_path: Path, approved: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path)
    run(capsys, "--config", cfg, "newsletter", "new", "2025-05")
    run(capsys, "--config", cfg, "newsletter", "add", "2025-05", "1")
    code, _out, err = run(capsys, "--config", cfg, "newsletter", "add", "2025-05", "1")
    assert code == 1
    assert err.strip() == "practices: Käytäntö on jo uutiskirjeessä 2025-05: #1."


def test_show_marks_a_practice_an_earlier_edition_had(
    tmp_path: Path, approved: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path)
    for month in ("2025-04", "2025-05"):
        run(capsys, "--config", cfg, "newsletter", "new", month)
        run(capsys, "--config", cfg, "newsletter", "add", month, "1")
    code, out, _ = run(capsys, "--config", cfg, "newsletter", "show", "2025-05", "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["items"][0]["earlier_editions"] == ["2025-04"]
    _code, out, _ = run(capsys, "--config", cfg, "newsletter", "show", "2025-05")
    assert out.splitlines()[-1].endswith("[jo uutiskirjeessä 2025-04]")


def test_render_without_base_url_fails_naming_the_key(
    tmp_path: Path, approved: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path, **SENDER)
    run(capsys, "--config", cfg, "newsletter", "new", "2025-05")
    run(capsys, "--config", cfg, "newsletter", "add", "2025-05", "1")
    out_dir = tmp_path / "uutiskirje"
    code, _out, err = run(
        capsys, "--config", cfg, "newsletter", "render", "2025-05", "--out", str(out_dir)
    )
    assert code == 2 and "publishing.base_url" in err
    assert not out_dir.exists()


def test_render_writes_the_eml_the_html_and_the_text(
    tmp_path: Path, approved: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(
        tmp_path,
        **BASE,
        **SENDER,
        newsletter_to="tilaajat@lists.vm.fi",
        unsubscribe_url="https://avoinhallinto.example/peru",
    )
    run(capsys, "--config", cfg, "newsletter", "new", "2025-05", "--intro", "Hei!")
    run(capsys, "--config", cfg, "newsletter", "add", "2025-05", "1", "2")
    out_dir = tmp_path / "uutiskirje"
    code, out, _ = run(
        capsys, "--config", cfg, "newsletter", "render", "2025-05", "--out", str(out_dir)
    )
    assert code == 0 and out.startswith("Uutiskirje 2025-05 kirjoitettu:")
    names = sorted(path.name for path in out_dir.iterdir())
    assert names == ["uutiskirje-2025-05.eml", "uutiskirje-2025-05.html", "uutiskirje-2025-05.txt"]
    message = email.message_from_bytes(
        (out_dir / "uutiskirje-2025-05.eml").read_bytes(), policy=policy.default
    )
    assert message["To"] == "tilaajat@lists.vm.fi"
    assert message["List-Unsubscribe"] == "<https://avoinhallinto.example/peru>"
    code, out, _ = run(capsys, "--config", cfg, "newsletter", "show", "2025-05", "--json")
    assert json.loads(out)["rendered_at"] is not None


def test_export_says_what_it_wrote_and_an_unchanged_one_writes_nothing(
    tmp_path: Path, approved: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path, **BASE)
    out_dir = str(tmp_path / "sivusto")
    code, out, _ = run(capsys, "--config", cfg, "export", "--format", "html", "--out", out_dir)
    assert code == 0
    assert out.startswith(f"Vietiin käytäntöjä: 2 → {out_dir} (")
    code, out, _ = run(capsys, "--config", cfg, "export", "--format", "html", "--out", out_dir)
    assert out.strip().endswith("kirjoitettu 0, poistettu 0)")


def test_export_without_base_url_says_the_feed_was_left_out(
    tmp_path: Path, approved: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path)
    out_dir = str(tmp_path / "sivusto")
    code, _out, err = run(capsys, "--config", cfg, "export", "--format", "html", "--out", out_dir)
    assert code == 0 and "publishing.base_url" in err
