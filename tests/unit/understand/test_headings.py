"""Tests for recognising section headings in Finnish, Swedish and English."""

from __future__ import annotations

import pytest

from core.vocabulary import SECTION_KEYS
from ingest.understand.headings import (
    HEADING_VARIANTS,
    MAX_HEADING_WORDS,
    HeadingMatch,
    match_heading,
    normalise_heading,
)


def key_of(line: str) -> str | None:
    match = match_heading(line)
    return match.key if match is not None else None


def test_table_covers_every_section_key() -> None:
    assert set(HEADING_VARIANTS) == set(SECTION_KEYS)


def test_every_variant_matches_its_own_section() -> None:
    for key, variants in HEADING_VARIANTS.items():
        for variant in variants:
            assert key_of(variant) == key, variant


def test_every_variant_is_short_enough_to_be_a_heading() -> None:
    for variants in HEADING_VARIANTS.values():
        for variant in variants:
            assert len(variant.split()) <= MAX_HEADING_WORDS


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Mitä tehtiin ja miksi?", "what_and_why"),
        ("Mitä saatiin aikaiseksi?", "achieved"),
        ("Mitä jatkossa?", "next_steps"),
        ("Lisätietoa", "more_info"),
    ],
)
def test_finnish_official_headings(line: str, key: str) -> None:
    assert key_of(line) == key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Mitä tehtiin?", "what_and_why"),
        ("Mitä jatkossa", "next_steps"),
        ("Miksi?", "what_and_why"),
    ],
)
def test_finnish_shortened_headings(line: str, key: str) -> None:
    assert key_of(line) == key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Mitä pitäisi tehdä ja miksi?", "what_and_why"),
        ("Mitä pitäisi saada aikaiseksi?", "achieved"),
        ("Lisätietoa – yhteystiedot", "more_info"),
        ("Lisätietoa - yhteystiedot", "more_info"),
        ("Lisätietoja", "more_info"),
        ("Yhteystiedot", "more_info"),
    ],
)
def test_finnish_site_forms(line: str, key: str) -> None:
    assert key_of(line) == key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("Vad gjordes och varför?", "what_and_why"),
        ("Vad gjorde vi och varför", "what_and_why"),
        ("Vad uppnåddes?", "achieved"),
        ("Vad åstadkoms?", "achieved"),
        ("Resultat", "achieved"),
        ("Vad händer härnäst?", "next_steps"),
        ("Vad händer sedan?", "next_steps"),
        ("Fortsättning", "next_steps"),
        ("Mer information", "more_info"),
        ("Ytterligare information", "more_info"),
        ("Kontaktuppgifter", "more_info"),
    ],
)
def test_swedish_headings(line: str, key: str) -> None:
    assert key_of(line) == key


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("What was done and why?", "what_and_why"),
        ("What did we do and why", "what_and_why"),
        ("What was achieved?", "achieved"),
        ("Results", "achieved"),
        ("What next?", "next_steps"),
        ("Next steps", "next_steps"),
        ("What happens next", "next_steps"),
        ("More information", "more_info"),
        ("Further information", "more_info"),
        ("Contact", "more_info"),
    ],
)
def test_english_headings(line: str, key: str) -> None:
    assert key_of(line) == key


@pytest.mark.parametrize(
    "line", ["1. Mitä tehtiin ja miksi?", "1) Vad gjordes och varför?", "a) What was done and why?"]
)
def test_numbered_headings(line: str) -> None:
    assert key_of(line) == "what_and_why"


@pytest.mark.parametrize("line", ["A. Mitä jatkossa?", "II. Vad händer härnäst?", "(3) Next steps"])
def test_letter_and_roman_numbering(line: str) -> None:
    assert key_of(line) == "next_steps"


@pytest.mark.parametrize(
    "line", ["**Mitä saatiin aikaiseksi?**", "__Vad uppnåddes?__", "**2. What was achieved?**"]
)
def test_bold_headings(line: str) -> None:
    assert key_of(line) == "achieved"


@pytest.mark.parametrize("line", ["## Lisätietoa", "### Mer information", "# More information"])
def test_markdown_headings(line: str) -> None:
    assert key_of(line) == "more_info"


@pytest.mark.parametrize("line", ["MITÄ JATKOSSA?", "VAD HÄNDER HÄRNÄST?", "WHAT NEXT?"])
def test_upper_case_headings(line: str) -> None:
    assert key_of(line) == "next_steps"


@pytest.mark.parametrize("line", ["Mitä saatiin aikaiseksi", "Vad uppnåddes", "What was achieved"])
def test_headings_without_question_mark(line: str) -> None:
    assert key_of(line) == "achieved"


@pytest.mark.parametrize("line", ["Mitä tehtiin ja miksi:", "Vad gjordes och varför?:", "Why:"])
def test_headings_with_trailing_colon(line: str) -> None:
    assert match_heading(line) == HeadingMatch(key="what_and_why", inline="")


@pytest.mark.parametrize(
    ("line", "inline"),
    [
        ("Mitä jatkossa: Laajennamme kokeilua.", "Laajennamme kokeilua."),
        ("Vad händer härnäst? Vi utvidgar försöket.", "Vi utvidgar försöket."),
        ("Next steps: we extend the pilot.", "we extend the pilot."),
        ("**Mitä jatkossa?** Laajennamme kokeilua.", "Laajennamme kokeilua."),
    ],
)
def test_heading_with_inline_answer(line: str, inline: str) -> None:
    assert match_heading(line) == HeadingMatch(key="next_steps", inline=inline)


def test_extra_spaces_and_non_breaking_spaces_are_tolerated() -> None:
    assert key_of("  Mitä   tehtiin\xa0ja  miksi ?  ") == "what_and_why"


def test_heading_extended_by_a_few_words() -> None:
    assert key_of("Mitä jatkossa tapahtuu?") == "next_steps"


def test_single_word_heading_extended_by_connector() -> None:
    assert key_of("Tulokset ja vaikutukset") == "achieved"
    assert key_of("Results and impact") == "achieved"


def test_long_sentence_starting_with_mita_is_not_a_heading() -> None:
    line = "Mitä tehtiin kunnassa viime vuonna, kun asukkaat halusivat osallistua enemmän?"
    assert match_heading(line) is None


def test_prose_starting_with_a_single_word_heading_is_not_a_heading() -> None:
    assert match_heading("Results are in the attached report") is None
    assert match_heading("Resultatet blev bättre än väntat.") is None


def test_sentence_ending_in_period_is_not_an_extended_heading() -> None:
    assert match_heading("Mitä jatkossa tehdään, on vielä auki.") is None


def test_word_merely_beginning_with_variant_is_not_a_heading() -> None:
    assert match_heading("Miksikään ei muuttunut") is None


def test_question_in_prose_with_unknown_heading_part_is_not_a_heading() -> None:
    assert match_heading("Mitä tapahtui? Kaikki meni hyvin.") is None


def test_greeting_is_not_a_heading() -> None:
    assert match_heading("Hei,") is None
    assert match_heading("") is None


def test_normalise_strips_numbering_markup_quotes_and_punctuation() -> None:
    assert normalise_heading('## 1. **"Mitä jatkossa?"** ') == "mitä jatkossa"
