"""Title, organisation, contact and language derived from subject, body and signature."""

from __future__ import annotations

import pytest

from ingest.understand.meta import (
    clean_title,
    contact_from_signature,
    detect_language,
    is_call_reply,
    organisation_from_signature,
    title_from_text,
)


@pytest.mark.parametrize(
    "prefix",
    [
        "Re:", "RE:", "re:", "VS:", "Vs:", "VL:", "Fwd:", "FWD:", "Fw:", "FW:", "SV:", "Sv:",
        "AW:", "WG:", "TR:", "Vast:", "Re[2]:", "[EXT]", "[External]",
        "Hyvä käytäntö:", "HYVÄ KÄYTÄNTÖ:", "Hyvä käytäntö -", "Hyvä käytäntö –", "Kokemus:",
        "Gott exempel:", "God praxis:", "Good practice:", "good practice -",
    ],
)  # fmt: skip
def test_clean_title_removes_each_prefix(prefix: str) -> None:
    assert clean_title(f"{prefix} Asukasraati Kuopiossa") == "Asukasraati Kuopiossa"


def test_clean_title_removes_a_chain_in_any_order() -> None:
    subject = "VS: [EXT] Fwd: Hyvä käytäntö: RE: Kokemus: Asukasraati   Kuopiossa "
    assert clean_title(subject) == "Asukasraati Kuopiossa"


def test_clean_title_keeps_a_title_that_only_mentions_a_prefix_word() -> None:
    assert clean_title("Revisio: avoin budjetti") == "Revisio: avoin budjetti"


@pytest.mark.parametrize(
    "subject",
    [
        "Kerro hyvä käytäntösi",
        "Re: Kerro hyvä käytäntösi!",
        "VS: Kerro hyvästä käytännöstä",
        "SV: Berätta om ett gott exempel",
        "Share your good practice",
        "Fwd: Hyvät käytännöt",
        "Avoimen hallinnon hyvät käytännöt",
        "Re: Hyvä käytäntö",
        "",
    ],
)
def test_is_call_reply_recognises_our_call(subject: str) -> None:
    assert is_call_reply(subject)


@pytest.mark.parametrize(
    "subject",
    ["Hyvä käytäntö: asukasraati", "Kerro hyvä käytäntösi: Asukasraati", "Öppna data i Vasa"],
)
def test_is_call_reply_rejects_a_real_title(subject: str) -> None:
    assert not is_call_reply(subject)


def test_title_from_text_skips_greeting_and_introduction() -> None:
    text = "Hei,\n\nTässä hyvä käytäntömme\n\nAsukasraati Kuopiossa\n\nMitä tehtiin ja miksi?\nX."
    assert title_from_text(text) == "Asukasraati Kuopiossa"


def test_title_from_text_prefers_a_labelled_title() -> None:
    assert title_from_text("Hej!\nNågot\nRubrik: Öppen budget\n") == "Öppen budget"


def test_title_from_text_skips_section_headings_and_sentences() -> None:
    text = "Dear all,\nWhat was done and why\nWe opened the budget data for everyone to use today."
    assert title_from_text(text) == ""


def test_title_from_text_skips_long_lines() -> None:
    assert title_from_text(" ".join(["sana"] * 13)) == ""


@pytest.mark.parametrize(
    ("signature", "organisation"),
    [
        ("Maija Virtanen\nErityisasiantuntija, Valtiovarainministeriö", "Valtiovarainministeriö"),
        ("Matti Mäki\nHelsingin kaupunki / Kaupunginkanslia", "Helsingin kaupunki"),
        ("Digi- ja väestötietovirasto\nPL 123", "Digi- ja väestötietovirasto"),
        ("Anna Svensson\nSkatteförvaltningen", "Skatteförvaltningen"),
        ("Kalle Berg\nVasa stad", "Vasa stad"),
        ("John Smith\nSenior Adviser\nMinistry of Finance", "Ministry of Finance"),
        ("Liisa Laine\nPirkanmaan hyvinvointialue", "Pirkanmaan hyvinvointialue"),
    ],
)
def test_organisation_from_signature(signature: str, organisation: str) -> None:
    assert organisation_from_signature(signature) == organisation


def test_organisation_from_signature_skips_job_titles_and_addresses() -> None:
    signature = "Kaupunginjohtaja\nkirjaamo@espoo.fi\nEspoon kaupunki"
    assert organisation_from_signature(signature) == "Espoon kaupunki"


@pytest.mark.parametrize(
    "name",
    [
        "Statistics Finland",
        "Business Finland",
        "Bank of Finland",
        "National Land Survey of Finland",
    ],
)
def test_english_agency_named_after_the_country_is_an_organisation(name: str) -> None:
    assert organisation_from_signature(f"Olli Saarinen\n{name}\nHelsinki, Finland") == name


@pytest.mark.parametrize("line", ["Helsinki, Finland", "00100 Helsinki Finland", "Finland"])
def test_an_address_line_ending_in_finland_is_no_organisation(line: str) -> None:
    assert organisation_from_signature(f"Olli Saarinen\n{line}") == ""


def test_contact_from_signature_skips_an_agency_named_after_the_country() -> None:
    assert contact_from_signature("Business Finland\nOlli Saarinen") == ("Olli Saarinen", "")


def test_organisation_from_signature_without_organisation() -> None:
    assert organisation_from_signature("Maija\n040 123 4567") == ""


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Teimme tämän ja se oli hyvä, myös muut olivat mukana.", "fi"),
        ("Vi gjorde det här och det var bra för alla som var med.", "sv"),
        ("We did this and it was good for the people of the city.", "en"),
        ("Tack så mycket!", "sv"),
        ("Kiitos!", "fi"),
        ("", "fi"),
    ],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_contact_from_signature_skips_closings() -> None:
    signature = "Ystävällisin terveisin\nBest Regards\nMaija Virtanen\nmaija.virtanen@vm.fi"
    assert contact_from_signature(signature) == ("Maija Virtanen", "maija.virtanen@vm.fi")


def test_contact_from_signature_without_name() -> None:
    assert contact_from_signature("Helsingin kaupunki\n") == ("", "")


def test_title_is_capitalised_once_a_prefix_is_removed() -> None:
    assert clean_title("Hyvä käytäntö: selkokieliset tiedotteet") == "Selkokieliset tiedotteet"


def test_title_without_prefix_keeps_its_case() -> None:
    assert clean_title("eOsallistuminen kunnassa") == "eOsallistuminen kunnassa"
