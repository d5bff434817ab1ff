"""Tests for wiring the understanding steps: own addresses and configured organisation names."""

from __future__ import annotations

from core.config import LimitSettings
from ingest.message import ParsedMessage
from ingest.understand.compose import understand

OUR_CALL_QUOTED = (
    "Hei,\n\nkunta avasi päätöksensä verkkoon.\n\nTerveisin\nMarjo Lampinen\n\n"
    "-----Alkuperäinen viesti-----\n"
    "Lähettäjä: Avoin hallinto <avoinhallinto@vm.fi>\n"
    "Lähetetty: tiistai 24. helmikuuta 2026 14.02\n"
    "Vastaanottaja: Lampinen Marjo <marjo.lampinen@kunta.fi>\n"
    "Aihe: Kerro hyvä käytäntösi\n\n"
    "Kerro meille hyvästä käytännöstä.\n"
)


def _message(subject: str, text: str) -> ParsedMessage:
    return ParsedMessage(
        message_id="<1@kunta.fi>",
        subject=subject,
        from_name="Lampinen Marjo",
        from_address="marjo.lampinen@kunta.fi",
        date=None,
        content_type="text/plain",
        headers=(("Subject", subject),),
        text_plain=text,
        text_html="",
    )


def test_reply_quoting_our_own_mail_credits_the_sender_not_our_mailbox() -> None:
    found = understand(
        _message("VS: Kerro hyvä käytäntösi", OUR_CALL_QUOTED),
        organisations={"vm.fi": "Valtiovarainministeriö", "kunta.fi": "Esimerkin kunta"},
        limits=LimitSettings(),
        own_addresses=("avoinhallinto@vm.fi",),
    )
    assert found.contact_email == "marjo.lampinen@kunta.fi"
    assert found.forwarded_by == ""
    assert found.organisation == "Esimerkin kunta"
    assert found.sections.what_and_why == "kunta avasi päätöksensä verkkoon."


def test_configured_organisation_name_in_the_signature_wins_over_the_domain() -> None:
    text = "Avasimme tilastot.\n\nTerveisin\nOlli Saarinen\nTraficom\n"
    found = understand(
        _message("Avoimet tilastot", text),
        organisations={"kunta.fi": "Esimerkin kunta", "traficom.fi": "Traficom"},
        limits=LimitSettings(),
    )
    assert (found.organisation, found.field_sources["organisation"]) == (
        "Traficom",
        "config:signature",
    )
