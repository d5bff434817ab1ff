"""Tests for the charset fallback chain: no ä, ö or å may be lost, nothing may raise."""

from __future__ import annotations

import pytest

from ingest.charsets import decode_header_value, decode_text

FINNISH = "Hyvää päivää, Åbo ja Öljy"


def test_declared_charset_is_used_when_it_fits() -> None:
    text, defects = decode_text(FINNISH.encode("iso-8859-15"), "iso-8859-15")
    assert text == FINNISH
    assert defects == []


def test_windows_1252_declared_as_us_ascii_is_recovered() -> None:
    text, defects = decode_text("Päätös – 5 €".encode("cp1252"), "us-ascii")
    assert text == "Päätös – 5 €"
    assert any("windows-1252" in d for d in defects)


def test_latin1_declaration_reads_windows_1252_punctuation() -> None:
    text, _ = decode_text("“Hyvä” käytäntö".encode("cp1252"), "ISO-8859-1")
    assert text == "“Hyvä” käytäntö"


def test_utf8_content_declared_latin1_is_not_garbled() -> None:
    text, defects = decode_text(FINNISH.encode("utf-8"), "iso-8859-1")
    assert text == FINNISH
    assert defects


def test_unknown_charset_is_a_defect_and_falls_back() -> None:
    text, defects = decode_text(FINNISH.encode("cp1252"), "x-unknown")
    assert text == FINNISH
    assert any("unknown charset 'x-unknown'" in d for d in defects)


def test_utf8mb4_alias_is_read_as_utf8() -> None:
    text, defects = decode_text(FINNISH.encode("utf-8"), "utf8mb4")
    assert text == FINNISH
    assert defects


def test_non_text_codec_name_is_refused() -> None:
    text, defects = decode_text(b"aGVp", "base64")
    assert text == "aGVp"
    assert any("unsupported" in d for d in defects)


def test_no_declaration_tries_utf8_first() -> None:
    assert decode_text(FINNISH.encode("utf-8"), None) == (FINNISH, [])


def test_any_bytes_decode() -> None:
    text, _ = decode_text(bytes(range(256)), "utf-8")
    assert len(text) == 255  # every byte but NUL


def test_nul_bytes_are_stripped() -> None:
    assert decode_text(b"a\x00b", "utf-8")[0] == "ab"


@pytest.mark.parametrize(
    ("value", "decoded"),
    [
        pytest.param(
            "=?iso-8859-1?q?K=E4ytt=F6?= ja =?utf-8?b?w6XDpA==?= loppu",
            "Käyttö ja åä loppu",
            id="encoded-words-in-several-charsets",
        ),
        pytest.param("Hei =?x-bogus?q?M=E4tti?=", "Hei Mätti", id="an-unknown-charset"),
        # The stdlib carries undecodable header bytes as surrogate escapes.
        pytest.param(
            "Käyttö".encode("cp1252").decode("ascii", "surrogateescape"),
            "Käyttö",
            id="raw-8bit-bytes",
        ),
    ],
)
def test_a_header_value_is_decoded_without_losing_a_letter(value: str, decoded: str) -> None:
    assert decode_header_value(value) == decoded


def test_encoded_word_with_broken_base64_does_not_raise() -> None:
    assert isinstance(decode_header_value("=?utf-8?b?w6Q*?="), str)


def test_charset_name_with_nul_or_surrogate_does_not_raise() -> None:
    for declared in ("utf-8\x00", "\udcff", "a" * 10_000):
        assert decode_text("Hyvä".encode(), declared)[0] == "Hyvä"


def test_utf8_content_under_a_cjk_label_is_read_as_utf8() -> None:
    assert decode_text(FINNISH.encode("utf-8"), "shift_jis")[0] == FINNISH
