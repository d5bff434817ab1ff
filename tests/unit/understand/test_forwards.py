"""Tests for recognising forwarded submissions and their original author."""

from __future__ import annotations

import pytest

from ingest.understand.forwards import find_forward, parse_from, strip_subject_prefixes

GMAIL_FORWARD = (
    "Hei, välitän tämän kokemuksiin.\n\n"
    "---------- Forwarded message ---------\n"
    "From: Matti Meikäläinen <matti@kunta.fi>\n"
    "Date: ti 24.2.2026 klo 14.02\n"
    "Subject: Hyvä käytäntö: avoimet päätökset\n"
    "To: <avoinhallinto@vm.fi>\n\n\n"
    "Mitä tehtiin ja miksi?\nAvasimme päätökset.\n\nTerveisin\nMatti"
)

OUTLOOK_FI_FORWARD = (
    "Ks. alla.\n\nLiisa\n\n________________________________\n"
    "Lähettäjä: Meikäläinen Matti <matti@kunta.fi>\n"
    "Lähetetty: tiistai 24. helmikuuta 2026 14.02\n"
    "Vastaanottaja: Virtanen Liisa <liisa@kunta.fi>\n"
    "Aihe: Hyvä käytäntö\n\n"
    "Mitä tehtiin?\nKokeilu."
)


def test_gmail_forward_gives_original_author() -> None:
    info = find_forward("Fwd: Hyvä käytäntö", GMAIL_FORWARD)
    assert info is not None
    assert info.original_from_name == "Matti Meikäläinen"
    assert info.original_from_address == "matti@kunta.fi"
    assert info.original_date == "ti 24.2.2026 klo 14.02"
    assert info.original_subject == "Hyvä käytäntö: avoimet päätökset"


def test_gmail_forward_separates_note_and_forwarded_body() -> None:
    info = find_forward("Fwd: Hyvä käytäntö", GMAIL_FORWARD)
    assert info is not None
    assert info.forwarder_note == "Hei, välitän tämän kokemuksiin."
    assert info.original_text.startswith("Mitä tehtiin ja miksi?\nAvasimme päätökset.")
    assert info.original_text.endswith("Terveisin\nMatti")


def test_gmail_forward_marker_is_enough_without_subject_prefix() -> None:
    info = find_forward("Hyvä käytäntö", GMAIL_FORWARD)
    assert info is not None
    assert info.original_from_address == "matti@kunta.fi"


@pytest.mark.parametrize(
    "marker",
    [
        "---------- Välitetty viesti ---------",
        "---------- Vidarebefordrat meddelande ---------",
        "Begin forwarded message:",
    ],
)
def test_other_forward_markers(marker: str) -> None:
    text = f"Note\n\n{marker}\n\nFrom: Anna <anna@stad.fi>\nSubject: Exempel\n\nVi öppnade data."
    info = find_forward("Exempel", text)
    assert info is not None
    assert (info.original_from_name, info.original_text) == ("Anna", "Vi öppnade data.")


def test_outlook_finnish_forward_gives_original_author() -> None:
    info = find_forward("VL: Hyvä käytäntö", OUTLOOK_FI_FORWARD)
    assert info is not None
    assert info.original_from_name == "Meikäläinen Matti"
    assert info.original_from_address == "matti@kunta.fi"
    assert info.original_date == "tiistai 24. helmikuuta 2026 14.02"
    assert info.original_subject == "Hyvä käytäntö"


def test_outlook_forward_note_excludes_the_rule_line() -> None:
    info = find_forward("VL: Hyvä käytäntö", OUTLOOK_FI_FORWARD)
    assert info is not None
    assert info.forwarder_note == "Ks. alla.\n\nLiisa"
    assert info.original_text == "Mitä tehtiin?\nKokeilu."


def test_outlook_swedish_forward() -> None:
    text = (
        "Se nedan.\n\nFrån: Anna Andersson [mailto:anna@stad.fi]\nSkickat: den 24 februari 2026\n"
        "Till: Erik\nÄmne: Goda exempel\n\nVi öppnade data."
    )
    info = find_forward("VB: Goda exempel", text)
    assert info is not None
    assert (info.original_from_name, info.original_from_address) == (
        "Anna Andersson",
        "anna@stad.fi",
    )


def test_outlook_english_forward_with_fw_prefix() -> None:
    text = (
        "FYI\n\nFrom: Jane Doe <jane@city.org>\nSent: Tuesday\nTo: Joe\n"
        "Subject: Pilot\n\nWe ran it."
    )
    info = find_forward("FW: Pilot", text)
    assert info is not None
    assert (info.original_from_address, info.original_text) == ("jane@city.org", "We ran it.")


def test_outlook_header_block_without_forward_prefix_is_not_a_forward() -> None:
    assert find_forward("Hyvä käytäntö", OUTLOOK_FI_FORWARD) is None


def test_reply_prefix_with_long_text_above_block_is_a_reply_not_a_forward() -> None:
    long_answer = " ".join(["Kunta avasi päätöksensä asukkaille."] * 20)
    text = OUTLOOK_FI_FORWARD.replace("Ks. alla.", long_answer)
    assert find_forward("Vs: Hyvä käytäntö", text) is None


def test_reply_prefix_with_short_note_above_block_is_a_forward() -> None:
    info = find_forward("Vs: Hyvä käytäntö", OUTLOOK_FI_FORWARD)
    assert info is not None
    assert info.original_from_address == "matti@kunta.fi"


CALL_QUOTED_BELOW_ANSWERS = (
    "Hei,\n\nMitä tehtiin ja miksi\nAvasimme jonotiedot.\n\n"
    "Mitä saatiin aikaiseksi\nPuhelut vähenivät.\n\nTerveisin\nMarjo\n\n"
    "-----Alkuperäinen viesti-----\n"
    "Lähettäjä: Avoin hallinto <avoinhallinto@vm.fi>\n"
    "Lähetetty: tiistai 24. helmikuuta 2026 14.02\n"
    "Vastaanottaja: Marjo <marjo@kunta.fi>\n"
    "Aihe: Kerro hyvä käytäntösi\n\n"
    "Mitä tehtiin ja miksi?\nMitä saatiin aikaiseksi?\n"
)


def test_short_answer_under_headings_above_an_outlook_block_is_a_reply() -> None:
    assert find_forward("VS: Kerro hyvä käytäntösi", CALL_QUOTED_BELOW_ANSWERS) is None


def test_swedish_reply_with_headings_above_an_outlook_block_is_a_reply() -> None:
    text = (
        "Hej,\n\nVad gjorde vi och varför?\nVi öppnade data.\n\nVad åstadkom vi?\nAppar.\n\n"
        "Från: Avoin hallinto <avoinhallinto@vm.fi>\nSkickat: den 24 februari 2026 14:02\n"
        "Till: Henrik <henrik@hel.fi>\nÄmne: Berätta om ett gott exempel\n\nVad gjordes?\n"
    )
    assert find_forward("SV: Berätta om ett gott exempel", text) is None


def test_one_heading_like_line_in_a_forwarders_note_keeps_the_forward() -> None:
    text = OUTLOOK_FI_FORWARD.replace("Ks. alla.", "Ks. alla.\n\nLisätietoa: Liisa, 040 123")
    info = find_forward("VL: Hyvä käytäntö", text)
    assert info is not None
    assert info.original_from_address == "matti@kunta.fi"


def test_block_from_our_own_address_is_never_a_forward() -> None:
    text = OUTLOOK_FI_FORWARD.replace("matti@kunta.fi", "avoinhallinto@vm.fi")
    assert find_forward("VL: Hyvä käytäntö", text) is not None
    assert find_forward("VL: Hyvä käytäntö", text, own_addresses=("AvoinHallinto@vm.fi",)) is None


def test_own_address_elsewhere_does_not_stop_a_colleagues_forward() -> None:
    info = find_forward(
        "VL: Hyvä käytäntö", OUTLOOK_FI_FORWARD, own_addresses=("avoinhallinto@vm.fi",)
    )
    assert info is not None
    assert info.original_from_address == "matti@kunta.fi"


def test_plain_message_is_not_a_forward() -> None:
    assert find_forward("VL: Hyvä käytäntö", "Mitä tehtiin?\nKokeilu.") is None


def test_nested_forward_credits_the_innermost_author() -> None:
    inner = "---------- Forwarded message ---------\nFrom: Matti <matti@kunta.fi>\n"
    text = (
        "Tiedoksi.\n\n---------- Forwarded message ---------\nFrom: Liisa <liisa@kunta.fi>\n"
        f"Subject: Fwd: Käytäntö\n\n{inner}Subject: Käytäntö\n\nKokeilu."
    )
    info = find_forward("Fwd: Fwd: Käytäntö", text)
    assert info is not None
    assert (info.forwarder_note, info.original_from_address) == ("Tiedoksi.", "matti@kunta.fi")
    assert info.original_text == "Kokeilu."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"Meikäläinen Matti" <matti@kunta.fi>', ("Meikäläinen Matti", "matti@kunta.fi")),
        ("Matti [mailto:matti@kunta.fi]", ("Matti", "matti@kunta.fi")),
        ("Matti (mailto:matti@kunta.fi)", ("Matti", "matti@kunta.fi")),
        ("**Matti** <matti@kunta.fi>", ("Matti", "matti@kunta.fi")),
        ("matti@kunta.fi", ("", "matti@kunta.fi")),
        ("matti@kunta.fi <matti@kunta.fi>", ("", "matti@kunta.fi")),
        ("Matti Meikäläinen", ("Matti Meikäläinen", "")),
    ],
)
def test_parse_from_forms(value: str, expected: tuple[str, str]) -> None:
    assert parse_from(value) == expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("VL: Avoin data", "Avoin data"),
        ("Re: RE: Fwd: Avoin data", "Avoin data"),
        ("VS: Vs: VL: Avoin data", "Avoin data"),
        ("SV: Sv: WG: AW: Öppna data", "Öppna data"),
        ("TR: VB: fw: Open data", "Open data"),
        ("[EXT] FW: Open data", "Open data"),
        ("RE: [EXT] Open data", "Open data"),
        ("Re[2]: Open data", "Open data"),
        ("Avoin data: kokeilu", "Avoin data: kokeilu"),
        ("[Kokeilu] Avoin data", "[Kokeilu] Avoin data"),
        ("Vastaus kyselyyn", "Vastaus kyselyyn"),
    ],
)
def test_strip_subject_prefixes(subject: str, expected: str) -> None:
    assert strip_subject_prefixes(subject) == expected


def test_parse_from_drops_a_converted_mailto_link_copy() -> None:
    value = "Matti Meikäläinen <matti@kunta.fi (mailto:matti@kunta.fi)>"
    assert parse_from(value) == ("Matti Meikäläinen", "matti@kunta.fi")
