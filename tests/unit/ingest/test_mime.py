"""MIME parsing of headers and bodies: decoding in any charset, alternatives kept apart, the
fallback parser, and text read up to its limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import mailparser
import pytest

from core.config import LimitSettings
from ingest.mime import parse_message
from tests.mail import text_message

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


def test_charset_with_nul_on_8bit_part_does_not_raise() -> None:
    raw = (
        b"Subject: x\r\nContent-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\n"
        b'Content-Type: text/plain; charset="utf\x00-8"\r\n\r\nH\xe4n\r\n--q--\r\n'
    )
    assert parse_message(raw, LIMITS).text_plain.strip() == "Hän"


def test_html_and_plain_alternatives_are_kept_apart() -> None:
    message = text_message("Pelkkä teksti")
    message.add_alternative("<p>Hyvä <b>HTML</b></p>", subtype="html")
    parsed = parse_message(message.as_bytes(), LIMITS)
    assert parsed.text_plain.strip() == "Pelkkä teksti"
    assert parsed.text_html.strip() == "<p>Hyvä <b>HTML</b></p>"
    assert parsed.content_type == "multipart/alternative"


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


def test_delivery_status_with_bad_charset_is_kept_as_bytes() -> None:
    raw = (
        b"Content-Type: message/delivery-status\r\n\r\n"
        b"Content-Type: text/plain; charset=ut60246\r\nStatus: 5.1.1\r\n\xe4 body\r\n"
    )
    parsed = parse_message(raw, LIMITS)
    assert b"Status: 5.1.1" in parsed.attachments[0].payload
    assert not any("stopped early" in d for d in parsed.defects)


def test_mail_parser_failure_falls_back_to_stdlib(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(raw: bytes) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(mailparser, "parse_from_bytes", explode)
    parsed = parse_message(_latin1_qp_message(), LIMITS)
    assert parsed.parser == "stdlib"
    assert parsed.subject == "Hyvä käytäntö Åbo"
    assert parsed.text_plain.strip() == "Mitä tehtiin ja miksi? Öljy å Ä"
    assert any("mail-parser failed (RuntimeError)" in d for d in parsed.defects)


def test_body_text_is_cut_at_the_budget_with_a_defect() -> None:
    from ingest.mime import MAX_BODY_CHARS

    limit = MAX_BODY_CHARS["text/plain"]
    raw = b"From: a@vm.fi\nSubject: pitka\n\n" + b"sana " * (limit // 4)
    parsed = parse_message(raw, LimitSettings())
    assert len(parsed.text_plain) == limit
    assert any("truncated" in defect for defect in parsed.defects)


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
