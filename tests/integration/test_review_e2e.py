"""An editor's whole path: delivered to Dovecot → polled → reviewed → approved → exported."""

from __future__ import annotations

import json
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from devserver.samples import photo_jpeg
from tests.integration.harness import Installation

pytestmark = pytest.mark.dovecot


def photo_submission() -> bytes:
    message = EmailMessage()
    message["From"] = "Liisa Mäkelä <liisa.makela@vm.fi>"
    message["To"] = "avoinhallinto@vm.fi"
    message["Subject"] = "Hyvä käytäntö: Avoimet valmisteluaineistot"
    message["Date"] = "Mon, 02 Nov 2026 09:30:00 +0200"
    message["Message-ID"] = "<e2e-photo-1@vm.fi>"
    message["Authentication-Results"] = "mx.vm.fi; dmarc=fail (p=none) header.from=vm.fi"
    message.set_content(
        "Hei,\n\nMitä tehtiin ja miksi?\nJulkaisimme lakihankkeen valmisteluaineistot verkossa "
        "jo luonnosvaiheessa, jotta kansalaiset voivat seurata valmistelua.\n\n"
        "Mitä saatiin aikaiseksi?\nLausuntoja tuli kaksi kertaa aiempaa enemmän.\n\n"
        "Mitä jatkossa?\nMalli otetaan käyttöön kaikissa hankkeissa.\n\n"
        "Lisätietoa\nLiisa Mäkelä, liisa.makela@vm.fi\n\nKuva: Pekka Kuvaaja\n\n"
        "Ystävällisin terveisin\nLiisa Mäkelä\nValtiovarainministeriö\n"
    )
    message.add_attachment(
        photo_jpeg(2400, 1800, orientation=6, gps=True),
        maintype="image",
        subtype="jpeg",
        filename="IMG_0042.jpg",
    )
    return message.as_bytes()


def cli_json(inst: Installation, capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert inst.cli(*args, "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_delivered_submission_goes_from_mailbox_to_newsletter(
    inst: Installation, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    inst.deliver(photo_submission())
    assert inst.cli("poll") == 0

    listing = cli_json(inst, capsys, "review", "list")
    assert isinstance(listing, list)
    [listed] = listing
    assert listed["status"] == "draft" and listed["flag_count"] >= 1
    draft_id = str(listed["id"])
    shown = cli_json(inst, capsys, "review", "show", draft_id)
    assert isinstance(shown, dict)
    codes = {flag["code"] for flag in shown["flags"]}
    assert {"location_removed", "dmarc_fail"} <= codes
    assert shown["message"]["message_id"] == "e2e-photo-1@vm.fi"
    main_photo = next(p for p in shown["photos"] if p["role"] == "main")
    assert (main_photo["web_width"], main_photo["web_height"]) == (1200, 1600)

    assert (
        inst.cli(
            "review",
            "edit",
            draft_id,
            "--set",
            "title=Avoimet lakihankkeet",
            "--editor",
            "Eeva Editori",
        )
        == 0
    )
    assert inst.cli("review", "theme", draft_id, "open_operations", "--editor", "Eeva") == 0
    assert inst.cli("review", "approve", draft_id, "--editor", "Eeva") == 1  # DMARC blocks
    dismissed = ("review", "dismiss", draft_id, "DMARC-varmennus epäonnistui")
    assert inst.cli(*dismissed, "--reason", "Lähettäjä vahvisti puhelimessa") == 0
    assert inst.cli("review", "photo-text", draft_id, "1", "--alt", "Lakiluonnos näytöllä") == 0
    assert inst.cli("review", "approve", draft_id, "--editor", "Eeva") == 0
    history = cli_json(inst, capsys, "review", "history", draft_id)
    assert isinstance(history, list)
    assert [event["action"] for event in history][-1] == "approve"

    for fmt in ("json", "markdown", "html"):
        out = tmp_path / fmt
        assert inst.cli("export", "--format", fmt, "--out", str(out)) == 0
        assert any(out.rglob("*.jpg")), f"{fmt} export has no photo"
    exported = json.loads((tmp_path / "json" / "practices.json").read_text(encoding="utf-8"))
    [practice] = exported["practices"]
    assert practice["title"] == "Avoimet lakihankkeet"
    html_text = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "html").glob("*.html"))
    assert "Mitä tehtiin ja miksi?" in html_text and "Avoimet lakihankkeet" in html_text

    month = datetime.now(ZoneInfo("Europe/Helsinki")).strftime("%Y-%m")
    inst.configure(
        publishing={
            "base_url": "https://avoinhallinto.example/kokemukset",
            "newsletter_from": "Avoin hallinto <avoinhallinto@vm.fi>",
        }
    )
    assert inst.cli("newsletter", "new", month, "--intro", "Tämän kuun käytännöt.") == 0
    assert inst.cli("newsletter", "add", month, draft_id) == 0
    newsletter = tmp_path / "newsletter"
    assert inst.cli("newsletter", "render", month, "--out", str(newsletter)) == 0
    text = (newsletter / f"uutiskirje-{month}.txt").read_text(encoding="utf-8")
    assert "Avoimet lakihankkeet" in text and "AVOIN TOIMINTA" in text
    assert (newsletter / f"uutiskirje-{month}.eml").stat().st_size > 0
