"""Editors read words, never codes: names accepted in any language, text in Finnish, sv, en."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from core.vocabulary import FlagCode
from practices.cli import main
from store.models import InboundMessage
from tests.configs import write_config
from tests.unit.review.conftest import Builder

SPAM: tuple[str, dict[str, Any]] = ("spam_verdict", {"status": "Yes, score=9.1"})
SUGGESTED: tuple[str, dict[str, Any]] = (
    "theme_suggested",
    {"theme": "open_data", "reason": "keywords: datan"},
)


Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(tmp_path: Path, engine: object, capsys: pytest.CaptureFixture[str]) -> Cli:
    """`practices --config ... ARGS` in this process: (exit code, stdout, stderr)."""
    config = str(write_config(tmp_path / "practices.toml", storage={"fsync": False}))

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(["--config", config, *argv])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_show_names_every_flag_status_role_and_field_in_finnish_without_codes(
    build: Builder, cli: Cli
) -> None:
    draft_id = build(
        flags=("no_photo", SPAM, SUGGESTED),
        photos=({"role": "signature", "filename": "logo.png"},),
        passed_rules=["no_headings", "dmarc_fail"],
        edited_fields=["title", "next_steps"],
        theme="open_data",
        theme_suggested=True,
        theme_reason="keywords: datan",
        notes=[{"code": "forwarder_note", "params": {"text": "Tässä hyvä esimerkki."}}],
    )
    _, out, _ = cli("review", "show", str(draft_id))
    assert "- [estää hyväksynnän] Roskapostisuodatin on merkinnyt" in out
    assert "(Yes, score=9.1)" in out
    assert "avoin data (ehdotettu: avainsanat: datan)" in out
    assert "[allekirjoituskuva] logo.png" in out
    assert "Muokatut kentät: otsikko, kohta ”Mitä jatkossa?”" in out
    assert "Välittäjän saate: Tässä hyvä esimerkki." in out
    assert "Tila: luonnos" in out
    leaks = [c.value for c in FlagCode] + ["Läpäistyt", "(signature)", "keywords", "next_steps"]
    assert [leak for leak in leaks if leak in out] == []


def test_show_in_swedish_and_english(build: Builder, cli: Cli) -> None:
    draft_id = build(flags=("no_photo",))
    _, sv, _ = cli("review", "show", str(draft_id), "--lang", "sv")
    assert "== Vad gjordes och varför? ==" in sv and "Meddelandet hade inget användbart foto." in sv
    _, en, _ = cli("review", "show", str(draft_id), "--lang", "en")
    assert "[informational] The message had no usable photo." in en


def test_show_lists_dismissed_flags_apart_with_who_and_why(build: Builder, cli: Cli) -> None:
    draft_id = build(flags=("no_photo", SPAM))
    code, out, _ = cli(
        "review", "dismiss", str(draft_id), "roskapostia", "--reason", "Tuttu", "--editor", "anna"
    )
    assert code == 0 and "huomion kuittaus" in out
    _, out, _ = cli("review", "show", str(draft_id))
    opened, dismissed = out.split("Kuitatut huomiot (1):")
    assert "Avoimet huomiot (1):" in opened and "Roskapostisuodatin" not in opened
    assert "  - roskapostia – kuittasi anna " in dismissed and ": Tuttu" in dismissed
    _, history, _ = cli("review", "history", str(draft_id))
    assert "huomion kuittaus" in history and "kuitattu huomio: roskapostia" in history


def test_show_json_flags_carry_code_params_severity_and_finnish_words(
    build: Builder, cli: Cli
) -> None:
    draft_id = build(flags=(SPAM,))
    _, out, _ = cli("review", "show", str(draft_id), "--json")
    [flag] = json.loads(out)["flags"]
    assert flag["code"] == "spam_verdict" and flag["params"] == {"status": "Yes, score=9.1"}
    assert flag["severity"] == "blocking" and flag["open"] is True
    assert flag["message"].startswith("Roskapostisuodatin") and flag["detail"] == "Yes, score=9.1"
    assert (flag["dismissed_at"], flag["dismissed_by"], flag["dismissal_reason"]) == (None, "", "")


def test_photo_text_is_set_on_the_command_line_and_shown(build: Builder, cli: Cli) -> None:
    draft_id = build(photos=({"role": "main", "web_path": "photos/a.jpg"},))
    _, before, _ = cli("review", "show", str(draft_id))
    assert "vaihtoehtoinen teksti puuttuu" in before
    code, _, _ = cli(
        "review", "photo-text", str(draft_id), "1", "--alt", "Kartta seinällä", "--credit", "Ville"
    )
    assert code == 0
    _, after, _ = cli("review", "show", str(draft_id))
    assert "vaihtoehtoinen teksti: Kartta seinällä" in after and "kuvaaja: Ville" in after
    _, out, _ = cli("review", "show", str(draft_id), "--json")
    assert json.loads(out)["photos"][0]["alt_text"] == "Kartta seinällä"


def test_approve_force_with_a_note_overrides_and_is_in_the_history(
    build: Builder, cli: Cli
) -> None:
    draft_id = build(flags=(SPAM,))
    assert cli("review", "approve", str(draft_id), "--force")[0] == 1  # no reason given
    assert cli("review", "approve", str(draft_id), "--force", "--note", "Soitin")[0] == 0
    _, history, _ = cli("review", "history", str(draft_id))
    assert "hyväksyntä" in history and "ohitetut huomiot: roskapostia" in history


@pytest.mark.parametrize("status", ["hyväksytty", "approved", "godkänt"])
def test_list_filters_by_a_status_named_in_any_language(
    build: Builder, cli: Cli, status: str
) -> None:
    build()
    approved = build()
    assert cli("review", "approve", str(approved))[0] == 0
    _, out, _ = cli("review", "list", "--status", status, "--json")
    assert [row["id"] for row in json.loads(out)] == [approved]


@pytest.mark.parametrize("flag", ["ei kuvaa", "no_photo"])
def test_list_filters_by_a_flag_named_or_coded(build: Builder, cli: Cli, flag: str) -> None:
    flagged = build(flags=("no_photo",))
    build()
    _, out, _ = cli("review", "list", "--flag", flag, "--json")
    assert [row["id"] for row in json.loads(out)] == [flagged]


def test_an_unknown_status_is_refused_with_the_choices_in_finnish(build: Builder, cli: Cli) -> None:
    code, _, err = cli("review", "list", "--status", "valmis")
    assert code == 1 and "luonnos (draft), hyväksytty (approved), hylätty (rejected)" in err


def test_edit_and_theme_take_finnish_and_swedish_names(build: Builder, cli: Cli) -> None:
    draft_id = build(theme=None)
    assert cli("review", "edit", str(draft_id), "--set", "otsikko=Uusi otsikko")[0] == 0
    assert cli("review", "theme", str(draft_id), "delaktighet")[0] == 0
    _, out, _ = cli("review", "show", str(draft_id), "--json")
    shown = json.loads(out)
    assert (shown["title"], shown["theme"]) == ("Uusi otsikko", "participation")


def test_list_marks_drafts_a_blocking_flag_holds_back(build: Builder, cli: Cli) -> None:
    build(flags=("no_photo", SPAM))
    _, out, _ = cli("review", "list")
    assert " 2!" in out.splitlines()[2] and "! = avoin huomio estää hyväksynnän" in out


def test_messages_speak_finnish_and_take_finnish_outcomes(
    build: Builder, cli: Cli, sessions: sessionmaker[Session]
) -> None:
    build()
    with sessions.begin() as session:
        session.add(
            InboundMessage(
                mailbox="avoinhallinto",
                raw_size=10,
                subject="Poissa",
                outcome="ignored",
                reason="auto_reply: Subject: Poissa",
            )
        )
    _, out, _ = cli("messages")
    assert "tulos" in out.splitlines()[0]
    assert "luonnos" in out and "ohitettu" in out
    assert "automaattinen vastaus (Subject: Poissa)" in out and "auto_reply" not in out
    _, only, _ = cli("messages", "--outcome", "ohitettu", "--json")
    assert [row["outcome"] for row in json.loads(only)] == ["ignored"]
    _, english, _ = cli("messages", "--lang", "en")
    assert "auto-reply (Subject: Poissa)" in english
