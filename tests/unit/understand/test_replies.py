"""Tests for separating the answer from quoted history, closing and signature."""

from __future__ import annotations

import pytest

from ingest.understand.replies import closing_phrase, is_signature_start, split_reply


def test_gmail_finnish_attribution_starts_quoted_history() -> None:
    text = (
        "Tässä käytäntö.\n\n"
        "ti 24.2.2026 klo 14.02 Matti Meikäläinen <matti@x.fi> kirjoitti:\n> Hei,\n> lähetätkö?"
    )
    parts = split_reply(text)
    assert parts.answer == "Tässä käytäntö."
    assert parts.quoted.startswith("ti 24.2.2026 klo 14.02 Matti")
    assert parts.quoted.endswith("> lähetätkö?")


def test_english_attribution_starts_quoted_history() -> None:
    parts = split_reply("Here it is.\n\nOn Tue, 24 Feb 2026 at 14:02, X <x@y.org> wrote:\n> Hi")
    assert parts.answer == "Here it is."
    assert parts.quoted == "On Tue, 24 Feb 2026 at 14:02, X <x@y.org> wrote:\n> Hi"


def test_wrapped_english_attribution_is_recognised_from_its_first_line() -> None:
    parts = split_reply("Here it is.\nOn Tue, 24 Feb 2026 at 14:02, X <\nx@y.org> wrote:\n> Hi")
    assert parts.answer == "Here it is."
    assert parts.quoted.startswith("On Tue")


def test_swedish_attribution_starts_quoted_history() -> None:
    parts = split_reply("Tack!\nDen 24 feb. 2026 kl. 14:02 skrev X <x@y.se>:\n> Hej")
    assert parts.answer == "Tack!"
    assert parts.quoted.startswith("Den 24 feb. 2026")


def test_german_attribution_starts_quoted_history() -> None:
    parts = split_reply("Danke\nAm 24.02.2026 um 14:02 schrieb X <x@y.de>:\n> Hallo")
    assert parts.answer == "Danke"
    assert parts.quoted.startswith("Am 24.02.2026")


def test_quote_marker_lines_start_quoted_history() -> None:
    parts = split_reply("Vastaus\n> vanha viesti\n> toinen rivi")
    assert parts.answer == "Vastaus"
    assert parts.quoted == "> vanha viesti\n> toinen rivi"


def test_prose_mentioning_who_wrote_is_not_an_attribution() -> None:
    parts = split_reply("Kuten ministeri kirjoitti:\navoimuus kannattaa.")
    assert parts.quoted == ""


@pytest.mark.parametrize(
    "separator",
    [
        "-----Original Message-----",
        "-----Alkuperäinen viesti-----",
        "-----Ursprungligt meddelande-----",
    ],
)
def test_outlook_original_message_separator(separator: str) -> None:
    parts = split_reply(f"Vastaus\n\n{separator}\nFrom: X\nvanha")
    assert parts.answer == "Vastaus"
    assert parts.quoted.startswith(separator)


def test_outlook_finnish_header_block_with_rule_above() -> None:
    text = (
        "Vastaus\n\n________________________________\n"
        "Lähettäjä: Liisa Virtanen <liisa@vm.fi>\nLähetetty: tiistai 24. helmikuuta 2026 14.02\n"
        "Vastaanottaja: Matti <m@x.fi>\nAihe: Hyvät käytännöt\n\nHei Matti"
    )
    parts = split_reply(text)
    assert parts.answer == "Vastaus"
    assert parts.quoted.startswith("________________________________\nLähettäjä: Liisa")
    assert parts.quoted.endswith("Hei Matti")


def test_outlook_swedish_header_block() -> None:
    text = (
        "Svar\n\nFrån: Liisa <l@x.fi>\nSkickat: den 24 februari 2026\n"
        "Till: Matti\nÄmne: Exempel\n\nHej"
    )
    parts = split_reply(text)
    assert parts.answer == "Svar"
    assert parts.quoted.startswith("Från: Liisa")


def test_outlook_english_header_block() -> None:
    text = "Answer\n\nFrom: Jane <j@x.org>\nSent: Tuesday\nTo: Joe\nSubject: Practice\n\nHello"
    parts = split_reply(text)
    assert parts.answer == "Answer"
    assert parts.quoted.startswith("From: Jane")


def test_outlook_header_block_squeezed_on_one_line() -> None:
    parts = split_reply("Answer\n\nFrom: Jane <j@x.org> Sent: Tuesday To: Joe Subject: Hi\nHello")
    assert parts.answer == "Answer"
    assert parts.quoted.startswith("From: Jane")


def test_from_line_in_prose_is_not_a_header_block() -> None:
    parts = split_reply("Palaute tuli asukkailta.\nFrom: the council\nKiitos kaikille.")
    assert parts.quoted == ""


def test_closing_line_and_signature_are_separated() -> None:
    parts = split_reply("Tässä käytäntö.\n\nYstävällisin terveisin\nMatti Meikäläinen\n040 123")
    assert parts.answer == "Tässä käytäntö."
    assert parts.closing == "Ystävällisin terveisin"
    assert parts.signature == "Matti Meikäläinen\n040 123"


def test_name_on_the_closing_line_goes_to_the_signature() -> None:
    parts = split_reply("Svar.\nMed vänliga hälsningar, Anna Andersson\nVasa stad")
    assert parts.closing == "Med vänliga hälsningar"
    assert parts.signature == "Anna Andersson\nVasa stad"


def test_english_closing_with_comma() -> None:
    parts = split_reply("Details below.\n\nBest regards,\nJane Doe")
    assert (parts.answer, parts.closing, parts.signature) == (
        "Details below.",
        "Best regards",
        "Jane Doe",
    )


def test_dash_dash_line_starts_the_signature_without_closing() -> None:
    parts = split_reply("Vastaus\n-- \nMatti\n040 123")
    assert (parts.answer, parts.closing, parts.signature) == ("Vastaus", "", "Matti\n040 123")


def test_sent_from_device_line_is_signature() -> None:
    parts = split_reply("Vastaus\n\nLähetetty iPhonesta")
    assert parts.answer == "Vastaus"
    assert parts.signature == "Lähetetty iPhonesta"


def test_signature_above_quoted_history_is_found() -> None:
    text = "Kiitos!\n\nTerveisin\nMatti\n\nOn Tue, 24 Feb 2026 at 14:02, X <x@y.org> wrote:\n> Hi"
    parts = split_reply(text)
    assert (parts.answer, parts.closing, parts.signature) == ("Kiitos!", "Terveisin", "Matti")
    assert parts.quoted.startswith("On Tue")


def test_forwarded_block_is_not_quoted_history() -> None:
    text = (
        "Hei, välitän.\n\n---------- Välitetty viesti ---------\nLähettäjä: Matti <m@x.fi>\n"
        "Date: ti 24.2.2026\nAihe: Käytäntö\nVastaanottaja: <a@vm.fi>\n\nMitä tehtiin?\nKokeilu"
    )
    parts = split_reply(text)
    assert parts.quoted == ""
    assert parts.answer.endswith("Mitä tehtiin?\nKokeilu")


def test_forwarders_closing_does_not_swallow_the_forwarded_body() -> None:
    text = (
        "Välitän.\nTerveisin Liisa\n\n---------- Forwarded message ---------\n"
        "From: Matti <m@x.fi>\n"
        "Subject: Käytäntö\n\nKokeilu onnistui.\nTerveisin\nMatti"
    )
    parts = split_reply(text)
    assert "Kokeilu onnistui." in parts.answer
    assert (parts.closing, parts.signature) == ("Terveisin", "Matti")


def test_nothing_is_lost() -> None:
    text = "A\n\nTerveisin\nMatti\n\nOn Tue, 24 Feb 2026 at 14:02, X <x@y.org> wrote:\n> Hi"
    parts = split_reply(text)
    for line in text.splitlines():
        assert line in "\n".join([parts.answer, parts.closing, parts.signature, parts.quoted])


@pytest.mark.parametrize(
    "line", ["Terveisin", "Ystävällisin terveisin,", "Hälsningar", "Kind regards", "Br,", "Regards"]
)
def test_closing_phrases_are_recognised(line: str) -> None:
    assert closing_phrase(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Terveisin kaikille meidän kunnan asukkaille ja päättäjille",
        "Regards to what?",
        "t.ex. detta",
    ],
)
def test_sentences_starting_with_a_closing_word_are_not_closings(line: str) -> None:
    assert closing_phrase(line) is None


def test_prose_quoting_a_newspaper_with_a_date_is_not_an_attribution() -> None:
    parts = split_reply("Helsingin Sanomat kirjoitti 12.3.2025:\nKokeilu oli menestys.")
    assert parts.quoted == ""


def test_attribution_without_address_or_time_needs_quoted_lines_below() -> None:
    parts = split_reply("Kiitos.\n\nMatti kirjoitti 24.2.2026:\n> Hei")
    assert parts.answer == "Kiitos."
    assert parts.quoted.startswith("Matti kirjoitti")


@pytest.mark.parametrize(
    "line", ["Best,", "Best", "Cheers!", "Thanks,", "Kiitos,", "Tack!", "Terv.", "Best, Anna"]
)
def test_short_closings_on_a_line_of_their_own_are_recognised(line: str) -> None:
    assert closing_phrase(line) is not None


@pytest.mark.parametrize(
    "line",
    [
        "Kiitos kaikille osallistuneille.",
        "Best practice is to publish early",
        "Thanks to the new API, queries doubled.",
        "Tack vare invånarna lyckades vi.",
    ],
)
def test_short_closing_words_opening_a_sentence_are_not_closings(line: str) -> None:
    assert closing_phrase(line) is None


@pytest.mark.parametrize("closing", ["Best,", "Thanks,", "Kiitos,", "Tack,", "Cheers"])
def test_short_closing_above_a_name_starts_the_signature(closing: str) -> None:
    parts = split_reply(f"We opened the data.\n\n{closing}\nOskari Mäki\nSome Agency")
    assert parts.answer == "We opened the data."
    assert parts.signature == "Oskari Mäki\nSome Agency"


def test_short_closing_followed_by_prose_is_part_of_the_answer() -> None:
    text = "Hei,\n\nKiitos!\n\nKunta avasi kaikki päätöksensä asukkaiden luettaviksi verkkoon."
    assert split_reply(text).answer == text


def test_short_closing_as_the_first_line_is_part_of_the_answer() -> None:
    assert split_reply("Kiitos!\nMatti Meikäläinen").answer == "Kiitos!\nMatti Meikäläinen"


def test_short_closing_on_the_last_line_ends_the_answer() -> None:
    parts = split_reply("We opened the data.\n\nThanks!")
    assert (parts.answer, parts.closing) == ("We opened the data.", "Thanks")


def test_short_closing_is_no_signature_start_without_its_neighbours() -> None:
    assert not is_signature_start("Thanks,")
    assert is_signature_start("Terveisin,")
