"""MIME parsing of attachments: raw payloads kept, which parts count as attachments, safe
file names, and how many parts are read."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from core.config import LimitSettings
from ingest.mime import parse_message, sanitise_filename
from tests.mail import text_message

LIMITS = LimitSettings()


def _with_attachment(filename: str, payload: bytes = b"%PDF-1.4 fake") -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = "liite"
    message.set_content("Katso liite.")
    message.add_attachment(payload, maintype="application", subtype="pdf", filename=filename)
    return message


def _with_parts(count: int) -> bytes:
    """A message of one text part and `count` one-byte attachments."""
    message = text_message("x")
    for number in range(count):
        message.add_attachment(
            b"x", maintype="application", subtype="octet-stream", filename=f"{number}.bin"
        )
    return message.as_bytes()


def test_attachment_keeps_raw_payload_bytes() -> None:
    payload = bytes(range(256)) * 10
    parsed = parse_message(_with_attachment("raportti.pdf", payload).as_bytes(), LIMITS)
    (attachment,) = parsed.attachments
    assert attachment.payload == payload
    assert (attachment.filename, attachment.content_type) == ("raportti.pdf", "application/pdf")
    assert parsed.text_plain.strip() == "Katso liite."


def test_text_part_with_filename_is_an_attachment() -> None:
    message = text_message("Runko")
    message.add_attachment("liitteen teksti", filename="muistio.txt")
    parsed = parse_message(message.as_bytes(), LIMITS)
    assert parsed.text_plain.strip() == "Runko"
    assert [a.filename for a in parsed.attachments] == ["muistio.txt"]


def test_inline_text_part_without_filename_is_body() -> None:
    message = text_message("Alku")
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


def test_raw_utf8_attachment_name_is_not_garbled() -> None:
    raw = (
        "From: a@b.fi\r\nSubject: x\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
        "hei\r\n--b\r\nContent-Type: application/pdf\r\n"
        'Content-Disposition: attachment; filename="Käytäntö.pdf"\r\n\r\nxx\r\n--b--\r\n'
    ).encode()
    [attachment] = parse_message(raw, LimitSettings()).attachments
    assert attachment.filename == "Käytäntö.pdf"


def test_inline_image_content_id_is_stripped() -> None:
    message = text_message("x")
    message.add_related(b"\x89PNG....", maintype="image", subtype="png", cid="<logo@x>")
    (image,) = parse_message(message.as_bytes(), LIMITS).attachments
    assert image.content_id == "logo@x"
    assert image.inline


def test_max_parts_drops_extra_parts_with_defect() -> None:
    parsed = parse_message(_with_parts(20), LimitSettings(max_parts=10))
    assert len(parsed.attachments) == 8  # the root and the text part count too
    assert any("over 10 parts" in d for d in parsed.defects)


def test_many_attachments_are_all_kept_within_limit() -> None:
    parsed = parse_message(_with_parts(1000), LimitSettings(max_parts=2000))
    assert len(parsed.attachments) == 1000
