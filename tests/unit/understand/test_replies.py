"""Tests for separating the answer from quoted history, closing and signature."""

from __future__ import annotations

import pytest

from ingest.understand.replies import closing_phrase, is_signature_start, split_reply

QUOTED_HISTORY = [
    # (where the quoted history starts, the text, the answer above it, its first line)
    (
        "a Gmail attribution in Finnish",
        "Tässä käytäntö.\n\n"
        "ti 24.2.2026 klo 14.02 Matti Meikäläinen <matti@x.fi> kirjoitti:\n> Hei,\n> lähetätkö?",
        "Tässä käytäntö.",
        "ti 24.2.2026 klo 14.02 Matti",
    ),
    (
        "an English attribution",
        "Here it is.\n\nOn Tue, 24 Feb 2026 at 14:02, X <x@y.org> wrote:\n> Hi",
        "Here it is.",
        "On Tue",
    ),
    (
        "an English attribution wrapped after its first line",
        "Here it is.\nOn Tue, 24 Feb 2026 at 14:02, X <\nx@y.org> wrote:\n> Hi",
        "Here it is.",
        "On Tue",
    ),
    (
        "a Swedish attribution",
        "Tack!\nDen 24 feb. 2026 kl. 14:02 skrev X <x@y.se>:\n> Hej",
        "Tack!",
        "Den 24 feb. 2026",
    ),
    (
        "a German attribution",
        "Danke\nAm 24.02.2026 um 14:02 schrieb X <x@y.de>:\n> Hallo",
        "Danke",
        "Am 24.02.2026",
    ),
    (
        "an attribution without address or time, quoted lines below",
        "Kiitos.\n\nMatti kirjoitti 24.2.2026:\n> Hei",
        "Kiitos.",
        "Matti kirjoitti",
    ),
    ("quote marker lines", "Vastaus\n> vanha viesti\n> toinen rivi", "Vastaus", "> vanha"),
    *(
        (f"Outlook's {separator}", f"Vastaus\n\n{separator}\nFrom: X\nvanha", "Vastaus", separator)
        for separator in (
            "-----Original Message-----",
            "-----Alkuperäinen viesti-----",
            "-----Ursprungligt meddelande-----",
        )
    ),
    (
        "an Outlook header block in Finnish with a rule above",
        "Vastaus\n\n________________________________\n"
        "Lähettäjä: Liisa Virtanen <liisa@vm.fi>\nLähetetty: tiistai 24. helmikuuta 2026 14.02\n"
        "Vastaanottaja: Matti <m@x.fi>\nAihe: Hyvät käytännöt\n\nHei Matti",
        "Vastaus",
        "________________________________\nLähettäjä: Liisa",
    ),
    (
        "an Outlook header block in Swedish",
        "Svar\n\nFrån: Liisa <l@x.fi>\nSkickat: den 24 februari 2026\n"
        "Till: Matti\nÄmne: Exempel\n\nHej",
        "Svar",
        "Från: Liisa",
    ),
    (
        "an Outlook header block in English",
        "Answer\n\nFrom: Jane <j@x.org>\nSent: Tuesday\nTo: Joe\nSubject: Practice\n\nHello",
        "Answer",
        "From: Jane",
    ),
    (
        "an Outlook header block squeezed on one line",
        "Answer\n\nFrom: Jane <j@x.org> Sent: Tuesday To: Joe Subject: Hi\nHello",
        "Answer",
        "From: Jane",
    ),
]


@pytest.mark.parametrize(
    ("text", "answer", "first_line"),
    [row[1:] for row in QUOTED_HISTORY],
    ids=[row[0] for row in QUOTED_HISTORY],
)
def test_quoted_history_is_everything_from_its_first_line_on(
    text: str, answer: str, first_line: str
) -> None:
    parts = split_reply(text)
    assert parts.answer == answer
    assert parts.quoted == text[text.index(first_line) :]


NOT_QUOTED = [
    # (why nothing is quoted history, the text)
    ("prose mentioning who wrote", "Kuten ministeri kirjoitti:\navoimuus kannattaa."),
    ("a From: line in prose", "Palaute tuli asukkailta.\nFrom: the council\nKiitos kaikille."),
    ("prose quoting a newspaper", "Helsingin Sanomat kirjoitti 12.3.2025:\nKokeilu oli menestys."),
]


@pytest.mark.parametrize(
    "text", [text for _why, text in NOT_QUOTED], ids=[w for w, _t in NOT_QUOTED]
)
def test_prose_that_resembles_an_attribution_is_not_quoted_history(text: str) -> None:
    assert split_reply(text).quoted == ""


CLOSINGS = [
    # (how the answer ends, the text, its answer, closing and signature)
    (
        "a closing line, then the signature",
        "Tässä käytäntö.\n\nYstävällisin terveisin\nMatti Meikäläinen\n040 123",
        ("Tässä käytäntö.", "Ystävällisin terveisin", "Matti Meikäläinen\n040 123"),
    ),
    (
        "a name on the closing line goes to the signature",
        "Svar.\nMed vänliga hälsningar, Anna Andersson\nVasa stad",
        ("Svar.", "Med vänliga hälsningar", "Anna Andersson\nVasa stad"),
    ),
    (
        "an English closing with a comma",
        "Details below.\n\nBest regards,\nJane Doe",
        ("Details below.", "Best regards", "Jane Doe"),
    ),
    (
        "a -- line starts the signature without a closing",
        "Vastaus\n-- \nMatti\n040 123",
        ("Vastaus", "", "Matti\n040 123"),
    ),
    (
        "a sent-from-device line is the signature",
        "Vastaus\n\nLähetetty iPhonesta",
        ("Vastaus", "", "Lähetetty iPhonesta"),
    ),
    (
        "a short closing on the last line",
        "We opened the data.\n\nThanks!",
        ("We opened the data.", "Thanks", ""),
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [row[1:] for row in CLOSINGS], ids=[row[0] for row in CLOSINGS]
)
def test_answer_closing_and_signature_are_told_apart(
    text: str, expected: tuple[str, str, str]
) -> None:
    parts = split_reply(text)
    assert (parts.answer, parts.closing, parts.signature) == expected


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


def test_short_closing_is_no_signature_start_without_its_neighbours() -> None:
    assert not is_signature_start("Thanks,")
    assert is_signature_start("Terveisin,")
