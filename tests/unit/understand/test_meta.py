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


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        # a chain of prefixes in any order, spaces collapsed
        (
            "VS: [EXT] Fwd: Hyvä käytäntö: RE: Kokemus: Asukasraati   Kuopiossa ",
            "Asukasraati Kuopiossa",
        ),
        # a title that only mentions a prefix word stays
        ("Revisio: avoin budjetti", "Revisio: avoin budjetti"),
        # capitalised once a prefix is removed, and left as written without one
        ("Hyvä käytäntö: selkokieliset tiedotteet", "Selkokieliset tiedotteet"),
        ("eOsallistuminen kunnassa", "eOsallistuminen kunnassa"),
    ],
)
def test_clean_title(subject: str, title: str) -> None:
    assert clean_title(subject) == title


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


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # greeting and introduction skipped
        (
            "Hei,\n\nTässä hyvä käytäntömme\n\nAsukasraati Kuopiossa\n\nMitä tehtiin ja miksi?\nX.",
            "Asukasraati Kuopiossa",
        ),
        # a labelled title wins
        ("Hej!\nNågot\nRubrik: Öppen budget\n", "Öppen budget"),
        # section headings, sentences and long lines are no title
        (
            "Dear all,\nWhat was done and why\n"
            "We opened the budget data for everyone to use today.",
            "",
        ),
        (" ".join(["sana"] * 13), ""),
    ],
)
def test_title_from_text(text: str, title: str) -> None:
    assert title_from_text(text) == title


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
        # job titles and addresses are skipped
        ("Kaupunginjohtaja\nkirjaamo@espoo.fi\nEspoon kaupunki", "Espoon kaupunki"),
        ("Maija\n040 123 4567", ""),
        # an English agency named after the country is one; an address line ending in it is not
        ("Olli Saarinen\nStatistics Finland\nHelsinki, Finland", "Statistics Finland"),
        ("Olli Saarinen\nBusiness Finland\nHelsinki, Finland", "Business Finland"),
        ("Olli Saarinen\nBank of Finland\nHelsinki, Finland", "Bank of Finland"),
        (
            "Olli Saarinen\nNational Land Survey of Finland\nHelsinki, Finland",
            "National Land Survey of Finland",
        ),
        ("Olli Saarinen\nHelsinki, Finland", ""),
        ("Olli Saarinen\n00100 Helsinki Finland", ""),
        ("Olli Saarinen\nFinland", ""),
    ],
)
def test_organisation_from_signature(signature: str, organisation: str) -> None:
    assert organisation_from_signature(signature) == organisation


@pytest.mark.parametrize(
    ("signature", "contact"),
    [
        # closings are skipped
        (
            "Ystävällisin terveisin\nBest Regards\nMaija Virtanen\nmaija.virtanen@vm.fi",
            ("Maija Virtanen", "maija.virtanen@vm.fi"),
        ),
        # an agency named after the country is no name
        ("Business Finland\nOlli Saarinen", ("Olli Saarinen", "")),
        ("Helsingin kaupunki\n", ("", "")),
    ],
)
def test_contact_from_signature(signature: str, contact: tuple[str, str]) -> None:
    assert contact_from_signature(signature) == contact


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
