"""Tests for MIME parsing: decoding, attachments, forwards, limits and hostile input."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from email.message import EmailMessage

import mailparser
import pytest

from core.config import LimitSettings
from ingest.mime import FORWARD_MARKER, parse_message, sanitise_filename

LIMITS = LimitSettings()


def _latin1_qp_message() -> bytes:
    return (
        b"From: =?iso-8859-1?q?M=E4tti_V=E4is=E4nen?= <Matti.Vaisanen@Example.FI>\r\n"
        b"To: avoinhallinto@vm.fi, Other <Second@Example.fi>\r\n"
        b"Subject: =?iso-8859-1?q?Hyv=E4_k=E4yt=E4nt=F6_=C5bo?=\r\n"
        b"Date: Tue, 04 Mar 2025 10:15:00 +0200\r\n"
        b"Message-ID: <abc.123@example.fi>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: text/plain; charset=iso-8859-1\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n"
        b"\r\n"
        b"Mit=E4 tehtiin ja miksi? =D6ljy =E5 =C4\r\n"
    )


def _with_attachment(filename: str, payload: bytes = b"%PDF-1.4 fake") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "liite"
    message.set_content("Katso liite.")
    message.add_attachment(payload, maintype="application", subtype="pdf", filename=filename)
    return message


def test_latin1_quoted_printable_body_keeps_umlauts() -> None:
    parsed = parse_message(_latin1_qp_message(), LIMITS)
    assert parsed.text_plain.strip() == "Mitä tehtiin ja miksi? Öljy å Ä"


def test_rfc2047_subject_is_decoded() -> None:
    assert parse_message(_latin1_qp_message(), LIMITS).subject == "Hyvä käytäntö Åbo"


def test_sender_name_decoded_and_address_lower_cased() -> None:
    parsed = parse_message(_latin1_qp_message(), LIMITS)
    assert (parsed.from_name, parsed.from_address) == (
        "Mätti Väisänen",
        "matti.vaisanen@example.fi",
    )


def test_identity_headers_are_read() -> None:
    parsed = parse_message(_latin1_qp_message(), LIMITS)
    assert parsed.message_id == "abc.123@example.fi"
    assert parsed.to_addresses == ("avoinhallinto@vm.fi", "second@example.fi")
    assert parsed.date == datetime(2025, 3, 4, 10, 15, tzinfo=timezone(timedelta(hours=2)))
    assert parsed.first_header("subject") == "Hyvä käytäntö Åbo"
    assert parsed.parser == "mail-parser"


def test_date_without_zone_is_made_aware() -> None:
    raw = b"Date: Tue, 04 Mar 2025 10:15:00 -0000\r\n\r\nx"
    assert parse_message(raw, LIMITS).date == datetime(2025, 3, 4, 10, 15, tzinfo=UTC)


def test_unparseable_date_is_none_with_defect() -> None:
    parsed = parse_message(b"Date: sometime soon\r\n\r\nx", LIMITS)
    assert parsed.date is None
    assert "Date header unparseable" in parsed.defects


def test_windows_1252_body_declared_us_ascii() -> None:
    raw = (
        b"Subject: x\r\nContent-Type: text/plain; charset=us-ascii\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + "Päätös – 5 €".encode("cp1252")
    )
    parsed = parse_message(raw, LIMITS)
    assert parsed.text_plain == "Päätös – 5 €"
    assert any("windows-1252" in d for d in parsed.defects)


def test_unknown_charset_body_is_decoded_with_defect() -> None:
    raw = b"Subject: x\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\nH\xe4n \xf6ljy"
    parsed = parse_message(raw, LIMITS)
    assert parsed.text_plain == "Hän öljy"
    assert any("x-unknown" in d for d in parsed.defects)


def test_html_and_plain_alternatives_are_kept_apart() -> None:
    message = EmailMessage()
    message.set_content("Pelkkä teksti")
    message.add_alternative("<p>Hyvä <b>HTML</b></p>", subtype="html")
    parsed = parse_message(message.as_bytes(), LIMITS)
    assert parsed.text_plain.strip() == "Pelkkä teksti"
    assert parsed.text_html.strip() == "<p>Hyvä <b>HTML</b></p>"
    assert parsed.content_type == "multipart/alternative"


def test_attachment_keeps_raw_payload_bytes() -> None:
    payload = bytes(range(256)) * 10
    parsed = parse_message(_with_attachment("raportti.pdf", payload).as_bytes(), LIMITS)
    (attachment,) = parsed.attachments
    assert attachment.payload == payload
    assert (attachment.filename, attachment.content_type) == ("raportti.pdf", "application/pdf")
    assert parsed.text_plain.strip() == "Katso liite."


def test_text_part_with_filename_is_an_attachment() -> None:
    message = EmailMessage()
    message.set_content("Runko")
    message.add_attachment("liitteen teksti", filename="muistio.txt")
    parsed = parse_message(message.as_bytes(), LIMITS)
    assert parsed.text_plain.strip() == "Runko"
    assert [a.filename for a in parsed.attachments] == ["muistio.txt"]


def test_inline_text_part_without_filename_is_body() -> None:
    message = EmailMessage()
    message.set_content("Alku")
    message.add_attachment("Loppu", disposition="inline")
    parsed = parse_message(message.as_bytes(), LIMITS)
    assert "Alku" in parsed.text_plain
    assert "Loppu" in parsed.text_plain
    assert parsed.attachments == ()


def test_broken_base64_attachment_records_defect() -> None:
    raw = (
        b"Subject: b64\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n"
        b"--zz\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
        b"--zz\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b"Content-Disposition: attachment; filename=a.pdf\r\n\r\nJVBER!!!i0xLj\r\n--zz--\r\n"
    )
    parsed = parse_message(raw, LIMITS)
    assert len(parsed.attachments) == 1
    assert any("Base64" in d for d in parsed.defects)


def test_hostile_filename_is_sanitised() -> None:
    message = _with_attachment("../../etc/pass\x00wd\x07.pdf")
    parsed = parse_message(message.as_bytes(), LIMITS)
    assert parsed.attachments[0].filename == "passwd.pdf"


@pytest.mark.parametrize(
    ("raw_name", "safe"),
    [
        ("..\\..\\windows\\evil.exe", "evil.exe"),
        ("..", ""),
        ("a\u202egpj.exe", "agpj.exe"),
        ("=?utf-8?q?P=C3=A4=C3=A4t=C3=B6s.docx?=", "Päätös.docx"),
        ("x" * 300 + ".docx", "x" * 145 + ".docx"),
    ],
)
def test_sanitise_filename(raw_name: str, safe: str) -> None:
    assert sanitise_filename(raw_name) == safe


def test_rfc2231_filename_is_decoded() -> None:
    raw = (
        b"Subject: x\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n"
        b"--zz\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Disposition: attachment; filename*=iso-8859-1''P%E4%E4t%F6s.odt\r\n\r\n"
        b"data\r\n--zz--\r\n"
    )
    assert parse_message(raw, LIMITS).attachments[0].filename == "Päätös.odt"


def test_inline_image_content_id_is_stripped() -> None:
    message = EmailMessage()
    message.set_content("x")
    message.add_related(b"\x89PNG....", maintype="image", subtype="png", cid="<logo@x>")
    (image,) = parse_message(message.as_bytes(), LIMITS).attachments
    assert image.content_id == "logo@x"
    assert image.inline


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


def test_max_parts_drops_extra_parts_with_defect() -> None:
    message = EmailMessage()
    message.set_content("x")
    for number in range(20):
        message.add_attachment(
            b"x", maintype="application", subtype="octet-stream", filename=f"{number}.bin"
        )
    parsed = parse_message(message.as_bytes(), LimitSettings(max_parts=10))
    assert len(parsed.attachments) == 8  # the root and the text part count too
    assert any("over 10 parts" in d for d in parsed.defects)


def test_max_nesting_depth_drops_deeper_parts() -> None:
    raw = b"From: x@y.fi\r\nSubject: deepest\r\n\r\nbottom text\r\n"
    for level in range(10):
        raw = b"Subject: level %d\r\nContent-Type: message/rfc822\r\n\r\n" % level + raw
    parsed = parse_message(raw, LimitSettings(max_nesting_depth=5))
    assert "bottom text" not in parsed.text_plain
    assert parsed.text_plain.count(FORWARD_MARKER) == 5
    assert any("nested deeper than 5" in d for d in parsed.defects)


def test_mail_parser_failure_falls_back_to_stdlib(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(raw: bytes) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(mailparser, "parse_from_bytes", explode)
    parsed = parse_message(_latin1_qp_message(), LIMITS)
    assert parsed.parser == "stdlib"
    assert parsed.subject == "Hyvä käytäntö Åbo"
    assert parsed.text_plain.strip() == "Mitä tehtiin ja miksi? Öljy å Ä"
    assert any("mail-parser failed (RuntimeError)" in d for d in parsed.defects)


def test_multipart_report_content_type() -> None:
    raw = (
        b"Subject: Undelivered\r\n"
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n\r\n"
        b"--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n"
        b"--r\r\nContent-Type: message/delivery-status\r\n\r\n"
        b"Reporting-MTA: dns; mx.example.fi\r\n\r\nFinal-Recipient: rfc822; x@y.fi\r\n"
        b"Status: 5.1.1\r\n\r\n--r--\r\n"
    )
    parsed = parse_message(raw, LIMITS)
    assert parsed.content_type == "multipart/report"
    assert parsed.text_plain.strip() == "Delivery failed."
    assert b"Status: 5.1.1" in parsed.attachments[0].payload


def _deep_multipart(levels: int) -> bytes:
    raw = b"Subject: inner\r\n\r\nbottom\r\n"
    for level in range(levels):
        raw = (
            b"Content-Type: multipart/mixed; boundary=b%d\r\n\r\n--b%d\r\n" % (level, level)
            + raw
            + b"\r\n--b%d--\r\n" % level
        )
    return b"Subject: deep\r\n" + raw


HOSTILE = {
    "empty": b"",
    "no headers": b"just some text\r\nwithout headers",
    "nul bytes": b"Subject: a\x00b\r\n\r\nbo\x00dy",
    "long header": b"Subject: " + b"a" * 10_000_000 + b"\r\n\r\nbody",
    "invalid charset": b'Content-Type: text/plain; charset="\xff\xfe"\r\n\r\n\xe4',
    "binary": bytes(range(256)) * 100,
    "uuencoded": b"Subject: uu\r\n\r\nbegin 644 x.txt\r\n#86)C\r\n`\r\nend\r\n",
    "no boundary": b"Content-Type: multipart/mixed\r\n\r\nbody without boundary",
    "missing close": b"Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n\r\ntext",
    "deep multipart": _deep_multipart(3000),
}


@pytest.mark.parametrize("raw", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_input_never_raises(raw: bytes) -> None:
    parsed = parse_message(raw, LIMITS)
    assert "\x00" not in parsed.text_plain + parsed.subject
    assert len(parsed.subject) <= 64 * 1024


def test_empty_message_is_a_defect() -> None:
    assert "empty message" in parse_message(b"", LIMITS).defects


def test_many_attachments_are_all_kept_within_limit() -> None:
    message = EmailMessage()
    message.set_content("x")
    for number in range(1000):
        message.add_attachment(
            b"x", maintype="application", subtype="octet-stream", filename=f"{number}.bin"
        )
    parsed = parse_message(message.as_bytes(), LimitSettings(max_parts=2000))
    assert len(parsed.attachments) == 1000


def test_forward_chain_100_deep_is_bounded() -> None:
    raw = b"From: x@y.fi\r\nSubject: deepest\r\n\r\nbottom text\r\n"
    for level in range(100):
        raw = b"Subject: level %d\r\nContent-Type: message/rfc822\r\n\r\n" % level + raw
    parsed = parse_message(raw, LIMITS)
    assert parsed.text_plain.count(FORWARD_MARKER) == LIMITS.max_nesting_depth


def test_hundreds_of_nested_boundaries_are_not_parsed_quadratically() -> None:
    raw = _deep_multipart(500) + b"line\r\n" * 200_000
    started = time.perf_counter()
    parsed = parse_message(raw, LIMITS)
    assert time.perf_counter() - started < 5
    assert "too many MIME boundaries; only headers were read" in parsed.defects
    assert parsed.subject == "deep"


def test_charset_with_nul_on_8bit_part_does_not_raise() -> None:
    raw = (
        b"Subject: x\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n"
        b'Content-Type: text/plain; charset="utf\x00-8"\r\n\r\nH\xe4n\r\n--q--\r\n'
    )
    assert parse_message(raw, LIMITS).text_plain.strip() == "Hän"


def test_delivery_status_with_bad_charset_is_kept_as_bytes() -> None:
    raw = (
        b"Content-Type: message/delivery-status\r\n\r\n"
        b"Content-Type: text/plain; charset=ut60246\r\nStatus: 5.1.1\r\n\xe4 body\r\n"
    )
    parsed = parse_message(raw, LIMITS)
    assert b"Status: 5.1.1" in parsed.attachments[0].payload
    assert not any("stopped early" in d for d in parsed.defects)


def test_body_text_is_cut_at_the_budget_with_a_defect() -> None:
    from ingest.mime import MAX_BODY_CHARS

    limit = MAX_BODY_CHARS["text/plain"]
    raw = b"From: a@vm.fi\nSubject: pitka\n\n" + b"sana " * (limit // 4)
    parsed = parse_message(raw, LimitSettings())
    assert len(parsed.text_plain) == limit
    assert any("truncated" in defect for defect in parsed.defects)


def test_raw_utf8_attachment_name_is_not_garbled() -> None:
    raw = (
        "From: a@b.fi\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
        "hei\r\n--b\r\nContent-Type: application/pdf\r\n"
        'Content-Disposition: attachment; filename="Käytäntö.pdf"\r\n\r\nxx\r\n--b--\r\n'
    ).encode()
    [attachment] = parse_message(raw, LimitSettings()).attachments
    assert attachment.filename == "Käytäntö.pdf"


def test_a_text_body_past_the_parse_limit_is_read_up_to_it_with_a_defect() -> None:
    line = "Hyvä käytäntö: avoin data ja selkokieli yhdessä.\r\n".encode()
    raw = (
        b"From: a@vm.fi\r\nSubject: pitk\xc3\xa4\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n"
        + "Mitä tehtiin ja miksi?\r\n".encode()
        + line * 60_000
    )
    limits = LimitSettings(max_parsed_bytes=1024 * 1024)
    parsed = parse_message(raw, limits)
    assert parsed.text_plain.startswith("Mitä tehtiin ja miksi?")
    assert 1024 * 1024 > len(parsed.text_plain.encode()) > 1_000_000
    assert parsed.text_plain.rstrip().endswith("yhdessä.")  # cut at a line end, not mid-letter
    assert any("limits.max_parsed_bytes" in d for d in parsed.defects)


def test_a_message_within_the_parse_limit_has_no_cut_defect() -> None:
    parsed = parse_message(_latin1_qp_message(), LIMITS)
    assert not any("max_parsed_bytes" in d for d in parsed.defects)
