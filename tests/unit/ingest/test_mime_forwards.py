"""MIME parsing of forwarded messages: the forward block before the original's text, its parts
marked nested, and a chain of forwards read only so deep."""

from __future__ import annotations

from email.message import EmailMessage

from core.config import LimitSettings
from ingest.mime import FORWARD_MARKER, parse_message

LIMITS = LimitSettings()


def _forward() -> bytes:
    original = EmailMessage()
    original["From"] = "Liisa Laine <liisa@kunta.fi>"
    original["Date"] = "Mon, 03 Mar 2025 09:00:00 +0200"
    original["Subject"] = "Hyvä käytäntö"
    original.set_content("Mitä tehtiin? Avattiin data.")
    original.add_attachment(
        b"PK\x03\x04xx", maintype="application", subtype="zip", filename="liite.docx"
    )
    outer = EmailMessage()
    outer["Subject"] = "VL: Hyvä käytäntö"
    outer.set_content("Välitän tämän.")
    outer.add_attachment(original)
    return outer.as_bytes()


def _forward_chain(levels: int) -> bytes:
    """A message forwarded `levels` times, each forward wrapping the one before it whole."""
    raw = b"From: x@y.fi\r\nSubject: deepest\r\n\r\nbottom text\r\n"
    for level in range(levels):
        raw = b"Subject: level %d\r\nContent-Type: message/rfc822\r\n\r\n" % level + raw
    return raw


def test_forwarded_message_text_follows_a_forward_block() -> None:
    parsed = parse_message(_forward(), LIMITS)
    forward = parsed.text_plain.split(FORWARD_MARKER, 1)[1]
    assert parsed.text_plain.startswith("Välitän tämän.")
    assert "From: Liisa Laine <liisa@kunta.fi>" in forward
    assert "Subject: Hyvä käytäntö" in forward
    assert "Mitä tehtiin? Avattiin data." in forward


def test_forwarded_message_parts_are_marked_nested() -> None:
    (attachment,) = parse_message(_forward(), LIMITS).attachments
    assert (attachment.filename, attachment.nested_in) == ("liite.docx", "message/rfc822")


def test_forwarded_html_gets_an_escaped_header_block() -> None:
    original = EmailMessage()
    original["From"] = "A <a@b.fi>"
    original["Subject"] = "<script>"
    original.set_content("<p>Sisältö</p>", subtype="html")
    outer = EmailMessage()
    outer.set_content("<p>Välitys</p>", subtype="html")
    outer.add_attachment(original)
    html = parse_message(outer.as_bytes(), LIMITS).text_html
    assert "<p>Subject: &lt;script&gt;</p>" in html
    assert "<p>Sisältö</p>" in html


def test_html_only_forward_is_rendered_into_the_plain_block() -> None:
    original = EmailMessage()
    original["Subject"] = "Alkuperäinen"
    original.set_content("<p>Mitä tehtiin?</p><ul><li>Avattiin data</li></ul>", subtype="html")
    outer = EmailMessage()
    outer.set_content("Välitän.")
    outer.add_attachment(original)
    plain = parse_message(outer.as_bytes(), LIMITS).text_plain
    assert plain.endswith("Mitä tehtiin?\n\n- Avattiin data")


def test_max_nesting_depth_drops_deeper_parts() -> None:
    parsed = parse_message(_forward_chain(10), LimitSettings(max_nesting_depth=5))
    assert "bottom text" not in parsed.text_plain
    assert parsed.text_plain.count(FORWARD_MARKER) == 5
    assert any("nested deeper than 5" in d for d in parsed.defects)


def test_forward_chain_100_deep_is_bounded() -> None:
    parsed = parse_message(_forward_chain(100), LIMITS)
    assert parsed.text_plain.count(FORWARD_MARKER) == LIMITS.max_nesting_depth
