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


def test_swedish_headings_and_closing() -> None:
    text = (
        "Hej!\n\n**Vad gjordes och varför?**\nVi öppnade data.\n\n**Vad uppnåddes?**\n"
        "Fler användare.\n\n**Vad händer härnäst?**\nMer data.\n\n**Mer information**\n"
        "Anna Andersson\n\nMed vänliga hälsningar\nAnna\n"
    )
    sections = split_sections(text)
    assert sections.what_and_why == "Vi öppnade data."
    assert sections.achieved == "Fler användare."
    assert sections.next_steps == "Mer data."
    assert sections.more_info == "Anna Andersson"
    assert sections.unmatched == "Hej!\n\nMed vänliga hälsningar\nAnna"


def test_english_markdown_headings_with_regards() -> None:
    text = (
        "## What was done and why\nWe ran a pilot.\n## Results\nIt worked.\n"
        "## Next steps\nScale up.\n## Contact\njane@example.org\nBest regards,\nJane"
    )
    sections = split_sections(text)
    assert sections.more_info == "jane@example.org"
    assert sections.unmatched == "Best regards,\nJane"
    assert sections.headings_found == 4


def test_inline_answers_start_their_sections() -> None:
    text = "Mitä tehtiin: Kokeilu.\nJatkui pitkään.\nMitä jatkossa: Laajennus."
    sections = split_sections(text)
    assert sections.what_and_why == "Kokeilu.\nJatkui pitkään."
    assert sections.next_steps == "Laajennus."


def test_repeated_section_heading_is_concatenated() -> None:
    text = "Mitä tehtiin?\nAvasimme datan.\nMiksi?\nAvoimuuden vuoksi.\nTulokset\nHyviä."
    sections = split_sections(text)
    assert sections.what_and_why == "Avasimme datan.\n\nAvoimuuden vuoksi."
    assert sections.headings_found == 2


def test_no_headings_puts_whole_text_in_what_and_why() -> None:
    text = "Kunta avasi datan.\n\nAsukkaat innostuivat.\n\nTerveisin\nMatti\n"
    sections = split_sections(text)
    assert sections.what_and_why == "Kunta avasi datan.\n\nAsukkaat innostuivat."
    assert sections.unmatched == "Terveisin\nMatti"
    assert sections.headings_found == 0


def test_greeting_above_free_prose_goes_to_unmatched() -> None:
    text = "Hei,\n\nkunta avasi datan ja asukkaat innostuivat.\n\nTerveisin\nMatti\n"
    sections = split_sections(text)
    assert sections.what_and_why == "kunta avasi datan ja asukkaat innostuivat."
    assert sections.unmatched == "Hei,\n\nTerveisin\nMatti"


@pytest.mark.parametrize(
    "greeting",
    ["Hej,", "Hi,", "Hello!", "Hei Anna", "Hej alla!", "Dear colleagues,", "Hyvä vastaanottaja,"],
)
def test_greeting_forms_above_free_prose_are_set_aside(greeting: str) -> None:
    sections = split_sections(f"{greeting}\n\nWe opened the data.")
    assert sections.what_and_why == "We opened the data."
    assert sections.unmatched == greeting


def test_a_greeting_that_is_the_whole_text_stays_the_answer() -> None:
    sections = split_sections("Hello World!\n\nTerveisin\nMatti")
    assert sections.what_and_why == "Hello World!"
    assert sections.unmatched == "Terveisin\nMatti"


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


def test_empty_section_still_counts_as_found() -> None:
    sections = split_sections("Mitä tehtiin?\nKokeilu.\nMitä jatkossa?\n")
    assert sections.next_steps == ""
    assert sections.headings_found == 2


def test_heading_in_signature_after_closing_is_not_a_section() -> None:
    text = "Mitä tehtiin?\nKokeilu.\n\nTerveisin\nMatti\nYhteystiedot: 040 123 4567"
    sections = split_sections(text)
    assert sections.more_info == ""
    assert sections.unmatched == "Terveisin\nMatti\nYhteystiedot: 040 123 4567"


def test_signature_delimiter_ends_the_last_section() -> None:
    sections = split_sections("What next?\nMore pilots.\n-- \nJane Doe, City of X")
    assert sections.next_steps == "More pilots."
    assert sections.unmatched == "-- \nJane Doe, City of X"


def test_empty_text_gives_empty_sections() -> None:
    sections = split_sections("")
    assert sections.what_and_why == "" and sections.unmatched == ""
    assert sections.headings_found == 0


def test_thanks_line_above_closing_goes_with_the_closing() -> None:
    sections = split_sections("Lisätietoa\nmatti@kunta.fi\n\nKiitos!\n\nTerveisin\nMatti")
    assert sections.more_info == "matti@kunta.fi"
    assert sections.unmatched == "Kiitos!\n\nTerveisin\nMatti"


def test_heading_with_inline_contact_after_site_form() -> None:
    text = "Mitä tehtiin?\nKokeilu.\nLisätietoa – yhteystiedot: Matti, matti@kunta.fi"
    sections = split_sections(text)
    assert sections.more_info == "Matti, matti@kunta.fi"


def test_bold_and_numbered_headings_with_list_answers() -> None:
    text = "**1. Mitä tehtiin ja miksi?**\nKokeilu.\n\n3) Mitä jatkossa\n- Laajennamme\n- Kerromme"
    sections = split_sections(text)
    assert sections.what_and_why == "Kokeilu."
    assert sections.next_steps == "- Laajennamme\n- Kerromme"


def test_short_closing_ends_the_last_section() -> None:
    text = "## Further information\nhttps://dvv.fi/en/open-data\n\nBest,\nOskari Mäki\nAgency"
    sections = split_sections(text)
    assert sections.more_info == "https://dvv.fi/en/open-data"
    assert sections.unmatched == "Best,\nOskari Mäki\nAgency"
