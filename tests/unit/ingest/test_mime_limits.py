"""Messages the stdlib cannot read whole, or built to break a parser: recursive address headers,
text past the parse limit, thousands of nested boundaries and other hostile input."""

from __future__ import annotations

import time
from email.message import EmailMessage

import pytest

from core.config import LimitSettings
from ingest.addresses import read_address, read_address_list
from ingest.mime import parse_message

LIMITS = LimitSettings()


def _to_header_with_groups(count: int) -> str:
    """A To: folded over `count` encoded words that each end in ":" (a group opener to the
    stdlib's address parser, which recurses once per group)."""
    words = [f"=?utf-8?q?Ryhm=C3=A4_{number}:?=" for number in range(count)]
    return "\r\n ".join(words) + " <liisa.lahtinen@kela.fi>"


def recursive_header_message() -> bytes:
    return (
        "From: Liisa Lahtinen <liisa.lahtinen@kela.fi>\r\n"
        f"To: {_to_header_with_groups(1500)}\r\n"
        "Subject: Hyvä käytäntö: Selkokieliset päätökset\r\n"
        "Message-ID: <groups@kela.fi>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Mitä tehtiin ja miksi?\r\nKirjoitimme päätökset selkokielellä.\r\n"
    ).encode()


def test_a_to_header_that_makes_the_stdlib_recurse_still_parses_the_body() -> None:
    parsed = parse_message(recursive_header_message(), LimitSettings())
    assert "Kirjoitimme päätökset selkokielellä." in parsed.text_plain
    assert parsed.from_address == "liisa.lahtinen@kela.fi"
    assert parsed.to_addresses == ("liisa.lahtinen@kela.fi",)
    assert any("To header too complex" in defect for defect in parsed.defects)


def test_the_fallback_scan_still_finds_the_addresses() -> None:
    found = read_address_list(_to_header_with_groups(1500), "To")
    assert found.addresses == ("liisa.lahtinen@kela.fi",)
    assert "RecursionError" in found.defect


def test_an_ordinary_address_list_needs_no_fallback() -> None:
    found = read_address_list("A <a@vm.fi>, b@oph.fi", "To")
    assert found == read_address_list("A <a@vm.fi>, b@oph.fi", "To")
    assert found.addresses == ("a@vm.fi", "b@oph.fi")
    assert found.defect == ""


def test_a_quoted_name_with_an_address_inside_gives_the_bare_address() -> None:
    found = read_address('"petri räsänen <petri.rasanen@kuopio.fi>"')
    assert (found.name, found.address) == ("petri räsänen", "petri.rasanen@kuopio.fi")


def test_a_surname_first_name_with_a_comma_is_not_taken_for_the_address() -> None:
    found = read_address("Räsänen, Petri <Petri.Rasanen@kuopio.fi>")
    assert (found.name, found.address) == ("Räsänen, Petri", "petri.rasanen@kuopio.fi")


def _photo_after_long_text(text_bytes: int) -> bytes:
    message = EmailMessage()
    message["From"] = "Maija Virtanen <maija.virtanen@hel.fi>"
    message["Subject"] = "Pitkä kuvaus ja kuva"
    line = "Mitä tehtiin: kokosimme asukkaiden ehdotukset yhteen avoimeksi dataksi.\n"
    message.set_content(line * (text_bytes // len(line.encode())), cte="8bit")
    # Not strict base64 (a stray space in a line), so it cannot be lifted out before parsing.
    photo = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 200
    message.add_attachment(photo, maintype="image", subtype="jpeg", filename="kuva.jpg")
    return message.as_bytes()


def test_a_photo_after_text_past_the_parse_limit_is_kept() -> None:
    limits = LimitSettings(max_parsed_bytes=512 * 1024)
    parsed = parse_message(_photo_after_long_text(2 * 1024 * 1024), limits)
    assert [a.filename for a in parsed.attachments] == ["kuva.jpg"]
    assert parsed.attachments[0].payload.startswith(b"\xff\xd8\xff\xe0")
    assert parsed.text_plain.startswith("Mitä tehtiin")
    assert len(parsed.text_plain.encode()) < 512 * 1024
    assert any("text parts were shortened" in defect for defect in parsed.defects)


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


def test_hundreds_of_nested_boundaries_are_not_parsed_quadratically() -> None:
    raw = _deep_multipart(500) + b"line\r\n" * 200_000
    started = time.perf_counter()
    parsed = parse_message(raw, LIMITS)
    assert time.perf_counter() - started < 5
    assert "too many MIME boundaries; only headers were read" in parsed.defects
    assert parsed.subject == "deep"
