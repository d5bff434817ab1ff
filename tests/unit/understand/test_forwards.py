"""Tests for recognising forwarded submissions and their original author."""

from __future__ import annotations

import pytest

from ingest.understand.forwards import (
    ForwardInfo,
    find_forward,
    parse_from,
    strip_subject_prefixes,
)

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


FORWARDS = [
    # (the forward's format, its subject, its text, everything it reveals)
    (
        "Gmail: the note above the marker, the header lines, then the submission",
        "Fwd: Hyvä käytäntö",
        GMAIL_FORWARD,
        ForwardInfo(
            forwarder_note="Hei, välitän tämän kokemuksiin.",
            original_from_name="Matti Meikäläinen",
            original_from_address="matti@kunta.fi",
            original_date="ti 24.2.2026 klo 14.02",
            original_subject="Hyvä käytäntö: avoimet päätökset",
            original_text="Mitä tehtiin ja miksi?\nAvasimme päätökset.\n\nTerveisin\nMatti",
        ),
    ),
    (
        "Outlook in Finnish: the rule line is in neither the note nor the submission",
        "VL: Hyvä käytäntö",
        OUTLOOK_FI_FORWARD,
        ForwardInfo(
            forwarder_note="Ks. alla.\n\nLiisa",
            original_from_name="Meikäläinen Matti",
            original_from_address="matti@kunta.fi",
            original_date="tiistai 24. helmikuuta 2026 14.02",
            original_subject="Hyvä käytäntö",
            original_text="Mitä tehtiin?\nKokeilu.",
        ),
    ),
    (
        "Outlook in Swedish, the address in a mailto link",
        "VB: Goda exempel",
        "Se nedan.\n\nFrån: Anna Andersson [mailto:anna@stad.fi]\nSkickat: den 24 februari 2026\n"
        "Till: Erik\nÄmne: Goda exempel\n\nVi öppnade data.",
        ForwardInfo(
            forwarder_note="Se nedan.",
            original_from_name="Anna Andersson",
            original_from_address="anna@stad.fi",
            original_date="den 24 februari 2026",
            original_subject="Goda exempel",
            original_text="Vi öppnade data.",
        ),
    ),
    (
        "Outlook in English with an FW: prefix",
        "FW: Pilot",
        "FYI\n\nFrom: Jane Doe <jane@city.org>\nSent: Tuesday\nTo: Joe\n"
        "Subject: Pilot\n\nWe ran it.",
        ForwardInfo(
            forwarder_note="FYI",
            original_from_name="Jane Doe",
            original_from_address="jane@city.org",
            original_date="Tuesday",
            original_subject="Pilot",
            original_text="We ran it.",
        ),
    ),
]


@pytest.mark.parametrize(
    ("subject", "text", "expected"), [row[1:] for row in FORWARDS], ids=[row[0] for row in FORWARDS]
)
def test_forward_reveals_note_original_author_and_submission(
    subject: str, text: str, expected: ForwardInfo
) -> None:
    assert find_forward(subject, text) == expected


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


STILL_FORWARDS = [
    # (why the text is still a forward from Matti, its subject, its text)
    ("the Gmail marker is enough without a subject prefix", "Hyvä käytäntö", GMAIL_FORWARD),
    ("a reply prefix with a short note above the block", "Vs: Hyvä käytäntö", OUTLOOK_FI_FORWARD),
    (
        "one heading-like line in the forwarder's note",
        "VL: Hyvä käytäntö",
        OUTLOOK_FI_FORWARD.replace("Ks. alla.", "Ks. alla.\n\nLisätietoa: Liisa, 040 123"),
    ),
]


@pytest.mark.parametrize(
    ("subject", "text"),
    [row[1:] for row in STILL_FORWARDS],
    ids=[row[0] for row in STILL_FORWARDS],
)
def test_text_is_still_a_forward(subject: str, text: str) -> None:
    info = find_forward(subject, text)
    assert info is not None
    assert info.original_from_address == "matti@kunta.fi"


NOT_FORWARDS = [
    # (why the text is no forward, its subject, its text)
    (
        "an Outlook header block without a forward prefix",
        "Hyvä käytäntö",
        OUTLOOK_FI_FORWARD,
    ),
    (
        "a reply prefix with a long answer above the block",
        "Vs: Hyvä käytäntö",
        OUTLOOK_FI_FORWARD.replace(
            "Ks. alla.", " ".join(["Kunta avasi päätöksensä asukkaille."] * 20)
        ),
    ),
    (
        "a short answer under headings above the quoted call",
        "VS: Kerro hyvä käytäntösi",
        CALL_QUOTED_BELOW_ANSWERS,
    ),
    (
        "a Swedish answer under headings above the quoted call",
        "SV: Berätta om ett gott exempel",
        "Hej,\n\nVad gjorde vi och varför?\nVi öppnade data.\n\nVad åstadkom vi?\nAppar.\n\n"
        "Från: Avoin hallinto <avoinhallinto@vm.fi>\nSkickat: den 24 februari 2026 14:02\n"
        "Till: Henrik <henrik@hel.fi>\nÄmne: Berätta om ett gott exempel\n\nVad gjordes?\n",
    ),
    ("a plain message", "VL: Hyvä käytäntö", "Mitä tehtiin?\nKokeilu."),
]


@pytest.mark.parametrize(
    ("subject", "text"), [row[1:] for row in NOT_FORWARDS], ids=[row[0] for row in NOT_FORWARDS]
)
def test_text_is_not_a_forward(subject: str, text: str) -> None:
    assert find_forward(subject, text) is None


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
        # a mail client's converted copy of the mailto link is dropped
        (
            "Matti Meikäläinen <matti@kunta.fi (mailto:matti@kunta.fi)>",
            ("Matti Meikäläinen", "matti@kunta.fi"),
        ),
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
