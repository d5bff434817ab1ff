"""Theme detection: explicit theme lines in three languages, keyword suggestions, and nothing."""

from __future__ import annotations

import pytest

from core.vocabulary import THEME_KEYS
from ingest.understand.theme import (
    THEME_KEYWORDS,
    THEME_NAMES,
    detect_theme,
    explicit_theme,
    stems_match,
    suggest_theme,
)


@pytest.mark.parametrize(
    ("line", "theme"),
    [
        ("Teema: avoin data", "open_data"),
        ("Teema: Avoimen datan", "open_data"),
        ("Tema: öppna data", "open_data"),
        ("Theme: open data", "open_data"),
        ("Teemat: osallisuus", "participation"),
        ("Teema: osallisuuden edistäminen", "participation"),
        ("Tema: delaktighet", "participation"),
        ("Theme: Inclusion", "participation"),
        ("Teema: selkokieli", "understandability"),
        ("Teema: Selkeä kieli", "understandability"),
        ("Tema: klarspråket", "understandability"),
        ("Theme: plain language", "understandability"),
        ("TEEMA: Avoin toiminta", "open_operations"),
        ("Teema - läpinäkyvyys", "open_operations"),
        ("Tema: öppenhet", "open_operations"),
        ("Theme: transparency", "open_operations"),
        ("**Teema:** Hallinto mahdollistajana", "enabling_administration"),
        ("Tema: Förvaltningen som möjliggörare", "enabling_administration"),
        ("Theme: enabling administration", "enabling_administration"),
    ],
)
def test_explicit_theme_line_names_the_theme(line: str, theme: str) -> None:
    assert explicit_theme(f"Hei!\n\n{line}\n\nMitä tehtiin ja miksi?\nJotain.") == theme


@pytest.mark.parametrize("label", ["Teema:", "**Teema:**", "Tema:", "Theme:"])
def test_explicit_theme_on_the_line_below_a_bare_label(label: str) -> None:
    assert explicit_theme(f"{label}\nOsallisuus\n\nMitä tehtiin?\nRaadit.") == "participation"


def test_bare_label_above_a_paragraph_names_no_theme() -> None:
    text = "Teema:\nKaupunki kutsui asukkaat ja järjestöt mukaan osallisuuden kehittämiseen."
    assert explicit_theme(text) is None


@pytest.mark.parametrize(
    ("line", "theme"),
    [
        ("Teemana: avoin data", "open_data"),
        ("Teemana osallisuus", "participation"),
        ("Teema on avoin toiminta.", "open_operations"),
        ("Tema är delaktighet", "participation"),
        ("The theme is open data", "open_data"),
    ],
)
def test_explicit_theme_in_a_short_sentence(line: str, theme: str) -> None:
    assert explicit_theme(f"{line}\n\nMitä tehtiin?\nJotain.") == theme


def test_long_sentence_starting_teema_on_is_no_label() -> None:
    text = "Teema on meille tärkeä, koska asukkaiden osallisuus kasvoi vuoden aikana selvästi."
    assert explicit_theme(text) is None


def test_detect_reports_the_label_and_the_value_below_it() -> None:
    result = detect_theme("Teema:\nOsallisuus\n\nMitä tehtiin?\nAvasimme datan rajapinnan.")
    assert (result.theme, result.suggested) == ("participation", False)
    assert result.reason == "explicit: Teema: Osallisuus"


def test_explicit_theme_takes_the_first_of_several_listed() -> None:
    assert explicit_theme("Teemat: avoin toiminta, avoin data") == "open_operations"


def test_explicit_theme_ignores_an_unknown_theme_name() -> None:
    assert explicit_theme("Teema: jotain aivan muuta") is None


def test_explicit_theme_needs_a_label() -> None:
    assert explicit_theme("Teimme avointa dataa.") is None


def test_suggestion_counts_inflected_finnish_words() -> None:
    text = (
        "Asukkaat osallistuivat työpajoihin. Osallisuuden kokemus kasvoi ja osallisuutta lisättiin."
    )
    suggestion = suggest_theme(text)
    assert suggestion is not None
    assert suggestion.theme == "participation"
    assert {"osallisuuden", "osallisuutta", "osallistuivat"} <= set(suggestion.matched_words)


def test_suggestion_handles_swedish() -> None:
    suggestion = suggest_theme("Vi ordnade ett samråd med invånarna och ökade delaktigheten.")
    assert suggestion is not None
    assert suggestion.theme == "participation"
    assert "med" not in suggestion.matched_words


def test_suggestion_handles_english() -> None:
    suggestion = suggest_theme("We published the dataset under an open licence through an API.")
    assert suggestion is not None
    assert suggestion.theme == "open_data"


def test_suggestion_reports_every_theme_score() -> None:
    suggestion = suggest_theme("Kirjoitimme päätökset selkokielellä.")
    assert suggestion is not None
    assert set(suggestion.scores) == set(THEME_KEYS)


def test_no_suggestion_without_keywords() -> None:
    assert suggest_theme("Hyvää päivää, kiitos kahvista.") is None


def test_equal_scores_go_to_the_theme_hit_first() -> None:
    suggestion = suggest_theme("selkokieli rajapinta")
    assert suggestion is not None
    assert suggestion.theme == "understandability"
    assert suggestion.scores["understandability"] == suggestion.scores["open_data"]


def test_equal_scores_prefer_words_hit_at_their_start_over_compound_tails() -> None:
    # "valmisteluaineistot" is preparation (open operations) material: "aineisto" is its tail.
    text = "Kaupunki avasi valmisteluaineistot asukkaiden kommentoitaviksi viikkoa ennen kokousta."
    suggestion = suggest_theme(text)
    assert suggestion is not None
    assert suggestion.scores["open_operations"] == suggestion.scores["open_data"]
    assert suggestion.theme == "open_operations"


def test_compound_tail_hits_still_count_in_the_score() -> None:
    suggestion = suggest_theme("Valmisteluaineistot kommentoitaviksi. Kaupunki avasi aineistot.")
    assert suggestion is not None
    assert suggestion.theme == "open_data"


def test_a_finnish_word_sharing_only_a_prefix_is_no_keyword() -> None:
    # "tilanteen" (of the situation) shares "tila" with "tilasto" (statistics), nothing more.
    assert not stems_match("tilant", "tilasto")
    assert suggest_theme("Jonojen tilanteen seuranta") is None


def test_detect_prefers_the_explicit_theme() -> None:
    result = detect_theme("Teema: avoin data\nAsukkaiden osallisuus kasvoi osallistumalla.")
    assert result.theme == "open_data"
    assert not result.suggested
    assert result.reason == "explicit: Teema: avoin data"


def test_detect_falls_back_to_a_suggestion() -> None:
    result = detect_theme("Avasimme datan rajapinnan kautta koneluettavassa muodossa.")
    assert result.theme == "open_data"
    assert result.suggested
    assert "rajapinnan" in result.reason


def test_detect_returns_none_when_nothing_matches() -> None:
    result = detect_theme("Lyhyt viesti.")
    assert result.theme is None
    assert not result.suggested


def test_stems_tolerate_consonant_gradation_but_not_short_words() -> None:
    assert stems_match("hallino", "hallinto")
    assert not stems_match("med", "medborg")


def test_tables_cover_every_theme_and_language() -> None:
    for table in (THEME_NAMES, THEME_KEYWORDS):
        assert set(table) == set(THEME_KEYS)
        for languages in table.values():
            assert set(languages) == {"fi", "sv", "en"}


@pytest.mark.parametrize(
    "text",
    [
        "Date: Mon, 1 Jan 2024. Status: delivered.",
        "Open your account to see the readable report.",
    ],
)
def test_no_suggestion_from_english_lookalikes(text: str) -> None:
    assert suggest_theme(text) is None
