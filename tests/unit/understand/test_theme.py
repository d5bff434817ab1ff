"""Theme detection: explicit theme lines in three languages, keyword suggestions, and nothing."""

from __future__ import annotations

import pytest

from core.vocabulary import THEME_KEYS
from ingest.understand.theme import (
    DEFAULT_THEME,
    SUBJECT_WEIGHT,
    THEME_KEYWORDS,
    THEME_NAMES,
    detect_theme,
    explicit_theme,
    stems_match,
    suggest_theme,
    voting_text,
)

THEME_LINES = [
    # a label line or a short sentence, and the theme it names
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
    ("Teemana: avoin data", "open_data"),
    ("Teemana osallisuus", "participation"),
    ("Teema on avoin toiminta.", "open_operations"),
    ("Tema är delaktighet", "participation"),
    ("The theme is open data", "open_data"),
]
AROUND = {
    "below a greeting": "Hei!\n\n{line}\n\nMitä tehtiin ja miksi?\nJotain.",
    "as the first line": "{line}\n\nMitä tehtiin?\nJotain.",
}


@pytest.mark.parametrize("around", AROUND.values(), ids=list(AROUND))
@pytest.mark.parametrize(("line", "theme"), THEME_LINES)
def test_explicit_theme_line_or_short_sentence_names_the_theme(
    line: str, theme: str, around: str
) -> None:
    assert explicit_theme(around.format(line=line)) == theme


@pytest.mark.parametrize("label", ["Teema:", "**Teema:**", "Tema:", "Theme:"])
def test_explicit_theme_on_the_line_below_a_bare_label(label: str) -> None:
    assert explicit_theme(f"{label}\nOsallisuus\n\nMitä tehtiin?\nRaadit.") == "participation"


def test_bare_label_above_a_paragraph_names_no_theme() -> None:
    text = "Teema:\nKaupunki kutsui asukkaat ja järjestöt mukaan osallisuuden kehittämiseen."
    assert explicit_theme(text) is None


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


def test_equal_scores_go_to_the_theme_hit_first_also_in_compounds() -> None:
    text = "Kaupunki avasi valmisteluaineistot asukkaiden kommentoitaviksi viikkoa ennen kokousta."
    suggestion = suggest_theme(text)
    assert suggestion is not None
    assert suggestion.scores["open_operations"] == suggestion.scores["open_data"]
    assert suggestion.theme == "open_data"  # "avasi" (opened) comes first
    assert [theme for theme, _score in suggestion.ranking][:2] == ["open_data", "open_operations"]


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


def test_detect_gives_the_default_theme_to_a_text_without_keywords() -> None:
    result = detect_theme("Lyhyt viesti.")
    assert (result.theme, result.suggested) == (DEFAULT_THEME, True)
    assert result.reason.startswith("default:")


def test_detect_gives_no_theme_to_an_empty_text() -> None:
    result = detect_theme("  \n")
    assert (result.theme, result.suggested) == (None, False)


def test_greetings_and_thanks_do_not_vote() -> None:
    voting = voting_text(["Hei! Kiitos kyselystänne.", "Avasimme datan rajapinnan kautta."])
    assert "kysely" not in voting
    assert detect_theme(voting).theme == "open_data"


def test_the_subject_counts_more_than_one_word_of_the_text() -> None:
    suggestion = suggest_theme("Järjestimme asukkaille kyselyn.", subject="Avoin data")
    assert suggestion is not None
    assert suggestion.scores["open_data"] == 2 * SUBJECT_WEIGHT
    assert suggestion.theme == "open_data"


def test_inflected_keywords_are_found_by_their_dictionary_form() -> None:
    suggestion = suggest_theme("Rajapinnoista saatavat paikkatiedot ja tilastoja kartoilla.")
    assert suggestion is not None
    assert suggestion.theme == "open_data"
    assert {"rajapinnoista", "paikkatiedot", "tilastoja", "kartoilla"} <= set(
        suggestion.matched_words
    )


def test_a_compound_counts_for_its_last_part() -> None:
    suggestion = suggest_theme("Toteutimme asukaskyselyn.")
    assert suggestion is not None
    assert suggestion.theme == "participation"


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
