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


HEADING_LINES = [
    # (the form the line takes, the line as a sender writes it, the section it names)
    ("fi official", "Mitä tehtiin ja miksi?", "what_and_why"),
    ("fi official", "Mitä saatiin aikaiseksi?", "achieved"),
    ("fi official", "Mitä jatkossa?", "next_steps"),
    ("fi official", "Lisätietoa", "more_info"),
    ("fi shortened", "Mitä tehtiin?", "what_and_why"),
    ("fi shortened", "Mitä jatkossa", "next_steps"),
    ("fi shortened", "Miksi?", "what_and_why"),
    ("fi site form", "Mitä pitäisi tehdä ja miksi?", "what_and_why"),
    ("fi site form", "Mitä pitäisi saada aikaiseksi?", "achieved"),
    ("fi site form", "Lisätietoa – yhteystiedot", "more_info"),
    ("fi site form", "Lisätietoa - yhteystiedot", "more_info"),
    ("fi site form", "Lisätietoja", "more_info"),
    ("fi site form", "Yhteystiedot", "more_info"),
    ("sv", "Vad gjordes och varför?", "what_and_why"),
    ("sv", "Vad gjorde vi och varför", "what_and_why"),
    ("sv", "Vad uppnåddes?", "achieved"),
    ("sv", "Vad åstadkoms?", "achieved"),
    ("sv", "Resultat", "achieved"),
    ("sv", "Vad händer härnäst?", "next_steps"),
    ("sv", "Vad händer sedan?", "next_steps"),
    ("sv", "Fortsättning", "next_steps"),
    ("sv", "Mer information", "more_info"),
    ("sv", "Ytterligare information", "more_info"),
    ("sv", "Kontaktuppgifter", "more_info"),
    ("en", "What was done and why?", "what_and_why"),
    ("en", "What did we do and why", "what_and_why"),
    ("en", "What was achieved?", "achieved"),
    ("en", "Results", "achieved"),
    ("en", "What next?", "next_steps"),
    ("en", "Next steps", "next_steps"),
    ("en", "What happens next", "next_steps"),
    ("en", "More information", "more_info"),
    ("en", "Further information", "more_info"),
    ("en", "Contact", "more_info"),
    ("numbered", "1. Mitä tehtiin ja miksi?", "what_and_why"),
    ("numbered", "1) Vad gjordes och varför?", "what_and_why"),
    ("lettered", "a) What was done and why?", "what_and_why"),
    ("lettered", "A. Mitä jatkossa?", "next_steps"),
    ("roman numeral", "II. Vad händer härnäst?", "next_steps"),
    ("numbered in brackets", "(3) Next steps", "next_steps"),
    ("bold", "**Mitä saatiin aikaiseksi?**", "achieved"),
    ("bold", "__Vad uppnåddes?__", "achieved"),
    ("bold and numbered", "**2. What was achieved?**", "achieved"),
    ("markdown", "## Lisätietoa", "more_info"),
    ("markdown", "### Mer information", "more_info"),
    ("markdown", "# More information", "more_info"),
    ("upper case", "MITÄ JATKOSSA?", "next_steps"),
    ("upper case", "VAD HÄNDER HÄRNÄST?", "next_steps"),
    ("upper case", "WHAT NEXT?", "next_steps"),
    ("no question mark", "Mitä saatiin aikaiseksi", "achieved"),
    ("no question mark", "Vad uppnåddes", "achieved"),
    ("no question mark", "What was achieved", "achieved"),
    ("extra and non-breaking spaces", "  Mitä   tehtiin\xa0ja  miksi ?  ", "what_and_why"),
    ("extended by a few words", "Mitä jatkossa tapahtuu?", "next_steps"),
    ("single word extended by a connector", "Tulokset ja vaikutukset", "achieved"),
    ("single word extended by a connector", "Results and impact", "achieved"),
]


@pytest.mark.parametrize(
    ("line", "key"),
    [(line, key) for _form, line, key in HEADING_LINES],
    ids=[f"{form}: {line}" for form, line, _key in HEADING_LINES],
)
def test_heading_line_names_its_section(line: str, key: str) -> None:
    assert key_of(line) == key


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


NOT_HEADINGS = [
    # (why the line is no heading, the line)
    (
        "a long sentence starting with Mitä",
        "Mitä tehtiin kunnassa viime vuonna, kun asukkaat halusivat osallistua enemmän?",
    ),
    ("prose starting with a single-word heading", "Results are in the attached report"),
    ("prose starting with a single-word heading", "Resultatet blev bättre än väntat."),
    ("a sentence ending in a period", "Mitä jatkossa tehdään, on vielä auki."),
    ("a word merely beginning with a variant", "Miksikään ei muuttunut"),
    ("a question in prose with an unknown heading part", "Mitä tapahtui? Kaikki meni hyvin."),
    ("a greeting", "Hei,"),
    ("an empty line", ""),
]


@pytest.mark.parametrize(
    "line",
    [line for _why, line in NOT_HEADINGS],
    ids=[f"{why}: {line}" for why, line in NOT_HEADINGS],
)
def test_line_is_not_a_heading(line: str) -> None:
    assert match_heading(line) is None


def test_normalise_strips_numbering_markup_quotes_and_punctuation() -> None:
    assert normalise_heading('## 1. **"Mitä jatkossa?"** ') == "mitä jatkossa"
