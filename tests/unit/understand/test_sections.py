"""Tests for splitting a submission's text into the four practice sections."""

from __future__ import annotations

import pytest

from ingest.understand.sections import split_sections

FINNISH = """Hei,

tässä hyvä käytäntö kokemuksiin.

1. Mitä tehtiin ja miksi?
Avasimme kunnan päätösaineistot.

Halusimme lisätä avoimuutta.

2. Mitä saatiin aikaiseksi?
Asukkaat löytävät päätökset helposti.

3. Mitä jatkossa?
Laajennamme palvelua.

4. Lisätietoa
https://esimerkki.fi

Ystävällisin terveisin
Matti Meikäläinen
viestintäpäällikkö, Esimerkkikunta
"""


def test_finnish_numbered_headings_fill_all_four_sections() -> None:
    sections = split_sections(FINNISH)
    assert sections.what_and_why.startswith("Avasimme")
    assert sections.achieved == "Asukkaat löytävät päätökset helposti."
    assert sections.next_steps == "Laajennamme palvelua."
    assert sections.more_info == "https://esimerkki.fi"
    assert sections.headings_found == 4


def test_paragraph_breaks_inside_a_section_are_kept() -> None:
    sections = split_sections(FINNISH)
    assert sections.what_and_why == (
        "Avasimme kunnan päätösaineistot.\n\nHalusimme lisätä avoimuutta."
    )


def test_greeting_goes_to_unmatched_not_a_section() -> None:
    sections = split_sections(FINNISH)
    assert sections.unmatched.startswith("Hei,\n\ntässä hyvä käytäntö kokemuksiin.")
    assert "Hei" not in sections.what_and_why


def test_closing_and_signature_end_the_last_section() -> None:
    sections = split_sections(FINNISH)
    assert "Meikäläinen" not in sections.more_info
    assert sections.unmatched.endswith(
        "Ystävällisin terveisin\nMatti Meikäläinen\nviestintäpäällikkö, Esimerkkikunta"
    )


SPLITS = [
    # (what the text shows, the text, the fields it splits into)
    (
        "Swedish bold headings, the greeting and closing set aside",
        "Hej!\n\n**Vad gjordes och varför?**\nVi öppnade data.\n\n**Vad uppnåddes?**\n"
        "Fler användare.\n\n**Vad händer härnäst?**\nMer data.\n\n**Mer information**\n"
        "Anna Andersson\n\nMed vänliga hälsningar\nAnna\n",
        {
            "what_and_why": "Vi öppnade data.",
            "achieved": "Fler användare.",
            "next_steps": "Mer data.",
            "more_info": "Anna Andersson",
            "unmatched": "Hej!\n\nMed vänliga hälsningar\nAnna",
        },
    ),
    (
        "English markdown headings, regards set aside",
        "## What was done and why\nWe ran a pilot.\n## Results\nIt worked.\n"
        "## Next steps\nScale up.\n## Contact\njane@example.org\nBest regards,\nJane",
        {"more_info": "jane@example.org", "unmatched": "Best regards,\nJane", "headings_found": 4},
    ),
    (
        "inline answers start their sections",
        "Mitä tehtiin: Kokeilu.\nJatkui pitkään.\nMitä jatkossa: Laajennus.",
        {"what_and_why": "Kokeilu.\nJatkui pitkään.", "next_steps": "Laajennus."},
    ),
    (
        "a repeated section's answers are joined",
        "Mitä tehtiin?\nAvasimme datan.\nMiksi?\nAvoimuuden vuoksi.\nTulokset\nHyviä.",
        {"what_and_why": "Avasimme datan.\n\nAvoimuuden vuoksi.", "headings_found": 2},
    ),
    (
        "no headings: the whole text is what and why",
        "Kunta avasi datan.\n\nAsukkaat innostuivat.\n\nTerveisin\nMatti\n",
        {
            "what_and_why": "Kunta avasi datan.\n\nAsukkaat innostuivat.",
            "unmatched": "Terveisin\nMatti",
            "headings_found": 0,
        },
    ),
    (
        "a greeting above free prose is set aside",
        "Hei,\n\nkunta avasi datan ja asukkaat innostuivat.\n\nTerveisin\nMatti\n",
        {
            "what_and_why": "kunta avasi datan ja asukkaat innostuivat.",
            "unmatched": "Hei,\n\nTerveisin\nMatti",
        },
    ),
    (
        "a greeting that is the whole text stays the answer",
        "Hello World!\n\nTerveisin\nMatti",
        {"what_and_why": "Hello World!", "unmatched": "Terveisin\nMatti"},
    ),
    (
        "an empty section still counts as found",
        "Mitä tehtiin?\nKokeilu.\nMitä jatkossa?\n",
        {"next_steps": "", "headings_found": 2},
    ),
    (
        "a heading in the signature after the closing is no section",
        "Mitä tehtiin?\nKokeilu.\n\nTerveisin\nMatti\nYhteystiedot: 040 123 4567",
        {"more_info": "", "unmatched": "Terveisin\nMatti\nYhteystiedot: 040 123 4567"},
    ),
    (
        "a signature delimiter ends the last section",
        "What next?\nMore pilots.\n-- \nJane Doe, City of X",
        {"next_steps": "More pilots.", "unmatched": "-- \nJane Doe, City of X"},
    ),
    (
        "an empty text gives empty sections",
        "",
        {"what_and_why": "", "unmatched": "", "headings_found": 0},
    ),
    (
        "a thanks line above the closing goes with the closing",
        "Lisätietoa\nmatti@kunta.fi\n\nKiitos!\n\nTerveisin\nMatti",
        {"more_info": "matti@kunta.fi", "unmatched": "Kiitos!\n\nTerveisin\nMatti"},
    ),
    (
        "an inline contact after the site's heading form",
        "Mitä tehtiin?\nKokeilu.\nLisätietoa – yhteystiedot: Matti, matti@kunta.fi",
        {"more_info": "Matti, matti@kunta.fi"},
    ),
    (
        "bold and numbered headings with list answers",
        "**1. Mitä tehtiin ja miksi?**\nKokeilu.\n\n3) Mitä jatkossa\n- Laajennamme\n- Kerromme",
        {"what_and_why": "Kokeilu.", "next_steps": "- Laajennamme\n- Kerromme"},
    ),
    (
        "a short closing ends the last section",
        "## Further information\nhttps://dvv.fi/en/open-data\n\nBest,\nOskari Mäki\nAgency",
        {"more_info": "https://dvv.fi/en/open-data", "unmatched": "Best,\nOskari Mäki\nAgency"},
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [row[1:] for row in SPLITS], ids=[row[0] for row in SPLITS]
)
def test_text_splits_into_its_sections(text: str, expected: dict[str, str | int]) -> None:
    sections = split_sections(text)
    assert {field: getattr(sections, field) for field in expected} == expected


@pytest.mark.parametrize(
    "greeting",
    ["Hej,", "Hi,", "Hello!", "Hei Anna", "Hej alla!", "Dear colleagues,", "Hyvä vastaanottaja,"],
)
def test_greeting_forms_above_free_prose_are_set_aside(greeting: str) -> None:
    sections = split_sections(f"{greeting}\n\nWe opened the data.")
    assert sections.what_and_why == "We opened the data."
    assert sections.unmatched == greeting


@pytest.mark.parametrize(
    "opening", ["Hyvä käytäntömme on asukasraati", "Dear Sir or Madam we opened the data"]
)
def test_prose_opening_with_a_greeting_word_stays_in_the_answer(opening: str) -> None:
    sections = split_sections(f"{opening}\nja se toimi.")
    assert sections.what_and_why == f"{opening}\nja se toimi."


def test_long_sentence_starting_with_mita_does_not_split_the_text() -> None:
    text = (
        "Mitä tehtiin kunnassa viime vuonna, kun asukkaat halusivat osallistua enemmän?\n"
        "Järjestimme avoimia iltoja."
    )
    sections = split_sections(text)
    assert sections.headings_found == 0
    assert sections.what_and_why == text
