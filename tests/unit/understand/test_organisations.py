"""The organisation register and finding the sender's organisation in it."""

from __future__ import annotations

from collections import Counter

import pytest

from core.config import LimitSettings
from ingest.mime import parse_message
from ingest.understand.compose import understand
from ingest.understand.organisations import OrganisationResult, find_organisation
from ingest.understand.register import load_register, swedish_official
from tests.fixtures.labelled.builders import plain


def _find(
    signature: str = "",
    address: str = "",
    text: str = "",
    language: str = "fi",
    configured: dict[str, str] | None = None,
) -> OrganisationResult | None:
    return find_organisation(
        signature=signature,
        address=address,
        text=text,
        language=language,
        configured=configured or {},
    )


def test_the_register_holds_every_kind_of_public_organisation() -> None:
    kinds = Counter(o.kind for o in load_register().organisations)
    assert kinds["municipality"] >= 308
    assert kinds["ministry"] == 12
    assert kinds["wellbeing"] == 22  # 21 counties and HUS; Helsinki is a municipality
    assert kinds["region"] == 18
    assert kinds["university"] >= 13 and kinds["uas"] >= 20
    assert kinds["agency"] >= 50 and kinds["parliament"] >= 5 and kinds["government"] >= 3


def test_every_organisation_has_a_finnish_or_swedish_name() -> None:
    for organisation in load_register().organisations:
        assert organisation.names.get("fi") or organisation.names.get("sv"), organisation


def test_no_mail_domain_belongs_to_two_organisations() -> None:
    domains = Counter(d for o in load_register().organisations for d in o.domains)
    assert [d for d, n in domains.items() if n > 1] == []


def test_swedish_official_names_take_a_genitive_s_after_a_consonant() -> None:
    assert swedish_official("Vasa", town=True) == "Vasa stad"
    assert swedish_official("Raseborg", town=True) == "Raseborgs stad"
    assert swedish_official("Kyrkslätt", town=False) == "Kyrkslätts kommun"
    assert swedish_official("Närpes", town=True) == "Närpes stad"


@pytest.mark.parametrize(
    ("signature", "expected"),
    [
        ("Erityisasiantuntija\nOpetushallituksessa", "Opetushallitus"),
        ("Kehittämispäällikkö, Kelan asiakkuusyksikkö", "Kansaneläkelaitos"),
        ("Valtioneuvoston kanslian viestintäosasto", "Valtioneuvoston kanslia"),
        ("Neuvotteleva virkamies, VNK", "Valtioneuvoston kanslia"),
        ("OPH:n opetusneuvos", "Opetushallitus"),
        ("Helsingin kaupungilla kaupunginkanslia", "Helsingin kaupunki"),
        ("Keski-Suomen hyvinvointialueen tietohallinto", "Keski-Suomen hyvinvointialue"),
        ("Digi- ja väestötietoviraston kehittämisyksikkö", "Digi- ja väestötietovirasto"),
        ("Traficomissa", "Liikenne- ja viestintävirasto Traficom"),
    ],
)
def test_a_name_in_any_inflected_form_in_the_signature(signature: str, expected: str) -> None:
    found = _find(signature=signature, address="someone@gov.fi")
    assert found == OrganisationResult(expected, "register:signature")


def test_a_swedish_name_is_found_inflected_and_given_in_swedish() -> None:
    found = _find(signature="Informatör vid Vasa stads kansli", language="sv")
    assert found == OrganisationResult("Vasa stad", "register:signature")


def test_a_postal_address_line_names_no_organisation() -> None:
    found = _find(signature="Maija Virtanen\nPL 23, 00023 Valtioneuvosto", address="m@gov.fi")
    assert found is None


def test_the_sender_domain_and_its_subdomains_find_the_organisation() -> None:
    assert _find(address="anna@kirjaamo.oph.fi") == OrganisationResult(
        "Opetushallitus", "register:domain"
    )
    assert _find(address="anna@raseborg.fi", language="sv") == OrganisationResult(
        "Raseborgs stad", "register:domain"
    )


def test_the_configured_table_overrides_the_register_for_its_domains() -> None:
    configured = {"kela.fi": "Kela"}
    assert _find(address="a@kela.fi", configured=configured) == OrganisationResult(
        "Kela", "config:domain"
    )
    # A configured name is found inflected in a signature like the register's names.
    assert _find(signature="Kelan viestintä", configured=configured) == OrganisationResult(
        "Kela", "config:signature"
    )
    # An abbreviation of a registered organisation shows its domain's configured name.
    assert _find(signature="FPA:s kommunikation", configured=configured) == OrganisationResult(
        "Kela", "register:signature"
    )


def test_a_name_mentioned_in_the_answers_is_the_last_resort() -> None:
    text = "Opetushallituksessa kokeiltiin uutta mallia. Opetushallitus jatkaa työtä Kelan kanssa."
    assert _find(text=text, address="x@gmail.com") == OrganisationResult(
        "Opetushallitus", "register:text"
    )


def test_a_lower_case_word_is_no_name() -> None:
    assert _find(text="kelan päällä oli lankaa", address="x@gmail.com") is None


def test_a_draft_from_a_shared_ministry_domain_gets_the_ministry_from_its_signature() -> None:
    raw = plain(
        "Hyvä käytäntö: Avoin valmistelu",
        "Sari Nieminen <sari.nieminen@gov.fi>",
        "Tue, 3 Mar 2026 10:00:00 +0200",
        "Avasimme lainvalmistelun lausuntokierroksen kaikille.\n\n"
        "Ystävällisin terveisin\nSari Nieminen\nneuvotteleva virkamies\n"
        "Valtioneuvoston kanslia, PL 23, 00023 Valtioneuvosto\n",
    )
    found = understand(parse_message(raw, LimitSettings()), organisations={},
                       limits=LimitSettings())  # fmt: skip
    assert found.organisation == "Valtioneuvoston kanslia"
    assert found.field_sources["organisation"] == "register:signature"


def test_a_configured_name_is_found_in_capitals_without_an_organisation_word() -> None:
    found = _find(signature="Olli Saarinen\nkehittämispäällikkö\nTRAFICOM",
                  configured={"traficom.fi": "Traficom"})  # fmt: skip
    assert found == OrganisationResult("Traficom", "config:signature")


def test_a_name_inside_a_hyphenated_compound_is_no_name() -> None:
    assert _find(signature="Olli\nKela-kortti voimassa", address="olli@example.com") is None
