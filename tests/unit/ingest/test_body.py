"""Tests for choosing and rendering the body text."""

from __future__ import annotations

import time

import pytest

from ingest.body import MAX_HTML_CHARS, body_text, html_to_text, normalise
from ingest.message import ParsedMessage
from tests.mail import parsed_message

OUTLOOK_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta http-equiv=Content-Type content="text/html; charset=utf-8">
<style>p.MsoNormal {margin:0cm; font-family:"Calibri"}</style><title>viesti</title></head>
<body lang=FI><div class=WordSection1>
<p class=MsoNormal><b>Mitä tehtiin ja miksi?<o:p></o:p></b></p>
<p class=MsoNormal>Avasimme päätökset.&nbsp;Syy oli selvä.<o:p></o:p></p>
<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>
<![if !supportLists]><span style='font-family:Symbol'>·<span style='font:7.0pt "Times"'>
&nbsp;&nbsp;&nbsp;&nbsp; </span></span><![endif]>Ensimmäinen kohta<o:p></o:p></p>
<p class=MsoListParagraph style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'>
<!--[if !supportLists]--><span style='font-family:"Courier New"'>o<span>&nbsp;&nbsp;</span>
</span><!--[endif]-->Toinen kohta<o:p></o:p></p>
<p class=MsoNormal><b><span style='color:#1F497D'>Mitä saatiin aikaiseksi?</span></b></p>
<p class=MsoNormal>Paljon.</p>
<p class=MsoNormal><b>Lisätietoa</b></p>
<p class=MsoNormal><a href="mailto:liisa@kunta.fi?subject=kysymys">Liisa Laine</a></p>
<script>document.write('piilossa')</script>
</div></body></html>"""


def _message(plain: str = "", html: str = "") -> ParsedMessage:
    return parsed_message(content_type="multipart/alternative", text_plain=plain, text_html=html)


def test_html_only_outlook_body_keeps_headings_as_lines() -> None:
    body = body_text(_message(html=OUTLOOK_HTML))
    lines = body.text.split("\n")
    assert (body.source, body.html_used) == ("html", True)
    assert "Mitä tehtiin ja miksi?" in lines
    assert "Mitä saatiin aikaiseksi?" in lines
    assert "Lisätietoa" in lines


def test_outlook_bullet_paragraphs_become_list_items() -> None:
    text = html_to_text(OUTLOOK_HTML)
    assert "- Ensimmäinen kohta" in text.split("\n")
    assert "- Toinen kohta" in text.split("\n")


def test_html_lists_render_with_dashes_and_numbers() -> None:
    text = html_to_text("<ul><li>yksi</li><li>kaksi</li></ul><ol><li>eka</li><li>toka</li></ol>")
    assert text.split("\n") == ["- yksi", "- kaksi", "1. eka", "2. toka"]


def test_links_render_as_text_then_url() -> None:
    text = html_to_text('<p>Katso <a href="https://vm.fi/hanke">hankesivu</a>.</p>')
    assert text == "Katso hankesivu (https://vm.fi/hanke)."


def test_mailto_link_shows_the_address_only() -> None:
    text = html_to_text(OUTLOOK_HTML)
    assert "Liisa Laine (liisa@kunta.fi)" in text


def test_link_whose_text_is_its_url_is_not_repeated() -> None:
    assert html_to_text('<a href="https://vm.fi">https://vm.fi</a>') == "https://vm.fi"


def test_script_style_and_head_are_dropped() -> None:
    text = html_to_text(OUTLOOK_HTML)
    assert "piilossa" not in text
    assert "Calibri" not in text
    assert "viesti" not in text


def test_inline_markup_does_not_split_words() -> None:
    assert html_to_text("<p>P<b>ää</b>t<span>ö</span>s</p>") == "Päätös"


def test_paragraphs_are_separated_by_blank_lines() -> None:
    assert html_to_text("<p>yksi</p><p>kaksi</p>") == "yksi\n\nkaksi"


def test_plain_is_preferred_when_good() -> None:
    plain = "Mitä tehtiin?\nAvoin data.\n\nMitä saatiin aikaiseksi?\nPaljon."
    html = "<p><b>Mitä tehtiin?</b></p><p>Avoin data.</p><p><b>Mitä saatiin aikaiseksi?</b></p>"
    body = body_text(_message(plain=plain, html=html + "<p>Paljon.</p>"))
    assert (body.source, body.html_used, body.text) == ("plain", False, plain)


def test_stub_plain_part_loses_to_html() -> None:
    html = "<p>" + "Pitkä ja hyvä kuvaus hankkeesta. " * 20 + "</p>"
    body = body_text(_message(plain="Avaa selaimessa.", html=html))
    assert body.source == "html"


def test_plain_that_lost_the_headings_loses_to_html() -> None:
    plain = "Mitä tehtiin ja miksi? Avasimme päätökset. Syy oli selvä. Ensimmäinen kohta " * 2
    body = body_text(_message(plain=plain, html=OUTLOOK_HTML))
    assert body.source == "html"


def test_plain_only_message() -> None:
    body = body_text(_message(plain="Hei\r\n\r\n\r\n\r\n\r\nmaailma \xa0"))
    assert (body.text, body.source, body.html_used) == ("Hei\n\n\nmaailma", "plain", False)


def test_empty_message_has_no_source() -> None:
    assert body_text(_message()).source == ""


def test_normalise_collapses_blank_lines_and_spaces() -> None:
    assert normalise("a \r\nb\xa0c\u200b\n\n\n\n\nd  ") == "a\nb c\n\n\nd"


def test_huge_html_is_capped_and_marked_truncated() -> None:
    html = "<p>" + "sana " * (MAX_HTML_CHARS // 4) + "</p>"
    started = time.perf_counter()
    body = body_text(_message(html=html))
    assert body.truncated
    assert time.perf_counter() - started < 30


HOSTILE_HTML = {
    "deep divs": "<div>" * 100_000 + "x",
    "deep tables": "<table><tr><td>" * 5_000 + "x",
    "unclosed": "<p><b><i><a href='" + "x" * 10_000,
    "nul": "<p>a\x00b</p>",
    "xml declaration": '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p></body></html>',
    "garbage": "<<<>>><!--<![CDATA[",
    "huge colspan": "<table><tr><td colspan=999999999>x</td></tr></table>",
    "empty": "",
    "control character reference": "<p>a<script>x</script>&#xf;b</p>",
    "lone surrogate": "<p>a\ud800b</p>",
    "control in outlook bullet": "<p class=MsoListParagraph>\u00b7 &#x1;kohta</p>",
}


@pytest.mark.parametrize("html", HOSTILE_HTML.values(), ids=HOSTILE_HTML.keys())
def test_hostile_html_does_not_crash_or_hang(html: str) -> None:
    started = time.perf_counter()
    assert "\x00" not in html_to_text(html)
    assert time.perf_counter() - started < 10
