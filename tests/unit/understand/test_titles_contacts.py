"""Titles and contacts from messages in the shapes that went wrong: quoted replies, subject
prefixes and suffixes, and a contact address written with the name inside it."""

from __future__ import annotations

from core.config import LimitSettings
from ingest.mime import parse_message
from ingest.understand.compose import understand
from ingest.understand.meta import clean_title
from ingest.understand.result import Understanding
from tests.fixtures.labelled.builders import Document, plain

QUOTED_CALL = (
    "\n-----Alkuperäinen viesti-----\n"
    "Lähettäjä: Avoin hallinto <avoinhallinto@vm.fi>\n"
    "Lähetetty: tiistai 24. helmikuuta 2026 14.02\n"
    "Aihe: Kerro hyvä käytäntösi\n\n"
    "Mitä tehtiin ja miksi?\nMitä saatiin aikaiseksi?\nMitä jatkossa?\nLisätietoa\n"
)


def _understood(raw: bytes) -> Understanding:
    return understand(
        parse_message(raw, LimitSettings()),
        organisations={},
        limits=LimitSettings(),
        own_addresses=("avoinhallinto@vm.fi",),
    )


def test_a_quoted_reply_never_takes_its_title_from_the_lisatietoa_answer() -> None:
    body = (
        "Hei,\n\nvastauksena kyselyynne:\n\n"
        "Mitä tehtiin ja miksi?\nKela kirjoitti päätöskirjeensä uudelleen selkokielellä.\n\n"
        "Mitä saatiin aikaiseksi?\nPuhelut vähenivät.\n\n"
        "Lisätietoa\nKehittämispäällikkö Tuula Hiltunen, Kela\n\n"
        "Terveisin\nTuula Hiltunen\nKela\n" + QUOTED_CALL
    )
    raw = plain(
        "VS: Kerro hyvä käytäntösi", "Tuula Hiltunen <tuula.hiltunen@kela.fi>",
        "Tue, 3 Mar 2026 10:00:00 +0200", body,
    )  # fmt: skip
    found = _understood(raw)
    assert "Hiltunen" not in found.title
    assert "Kerro hyvä käytäntösi" not in found.title


def test_a_title_line_above_the_answers_is_the_title() -> None:
    body = (
        "Hei,\n\nOtsikko: Selkokieliset päätöskirjeet\n\n"
        "Mitä tehtiin ja miksi?\nKirjoitimme kirjeet uudelleen.\n\n"
        "Lisätietoa\nKehittämispäällikkö Tuula Hiltunen, Kela\n" + QUOTED_CALL
    )
    raw = plain(
        "VS: Kerro hyvä käytäntösi", "Tuula Hiltunen <tuula.hiltunen@kela.fi>",
        "Tue, 3 Mar 2026 10:00:00 +0200", body,
    )  # fmt: skip
    assert _understood(raw).title == "Selkokieliset päätöskirjeet"


def test_call_prefixes_tags_and_update_notes_leave_the_subject() -> None:
    assert clean_title("Hyvä käytäntö ja kuva: Asukasraati keskustassa") == (
        "Asukasraati keskustassa"
    )
    assert clean_title("Fw: Avoimet tilastot (päivitetty)") == "Avoimet tilastot"
    assert clean_title("[EXTERNAL] VS: Selkokieliset ohjeet") == "Selkokieliset ohjeet"
    assert clean_title("EXTERNAL: Gott exempel och bild: Öppna protokoll [uppdaterad]") == (
        "Öppna protokoll"
    )


def test_a_draft_title_drops_the_photo_prefix_and_the_update_note() -> None:
    raw = plain(
        "Hyvä käytäntö ja kuva: Avoin budjetti (päivitetty)",
        "Anna Koski <anna.koski@lahti.fi>",
        "Tue, 3 Mar 2026 10:00:00 +0200",
        "Avasimme budjetin valmistelun asukkaille.\n\nTerveisin\nAnna Koski\nLahden kaupunki\n",
    )
    assert _understood(raw).title == "Avoin budjetti"


def test_a_contact_address_with_the_name_inside_it_is_stored_bare() -> None:
    document = Document(
        "kaytanto.docx",
        ("Mitä tehtiin ja miksi?", "Kokosimme asukasraadin.", "Lisätietoa", "Petri Räsänen"),
        frozenset({"Mitä tehtiin ja miksi?", "Lisätietoa"}),
    )
    raw = plain(
        "Hyvä käytäntö",
        '"petri räsänen <petri.rasanen@kuopio.fi>"',
        "Tue, 3 Mar 2026 10:00:00 +0200",
        "Hei, käytäntö liitteenä.\n\nTerveisin\nPetri Räsänen\nKuopion kaupunki\n",
        documents=(document,),
    )
    found = _understood(raw)
    assert found.contact_email == "petri.rasanen@kuopio.fi"
    assert found.contact_name.lower() == "petri räsänen"
