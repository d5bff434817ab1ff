"""Turns bytes of unknown or lying charset into text, so ä, ö and å survive every old mail client.

Declared charsets are a hint, not a promise: Outlook says us-ascii and sends windows-1252, web
forms say iso-8859-1 and send UTF-8, and some servers invent names ("utf8mb4", "x-unknown").
The chain is: the declared charset if Python knows it as a text encoding, then UTF-8, then
windows-1252, then ISO-8859-15 (which maps every byte, so decoding always ends with text).
Every fallback is returned as a defect string so an editor can see why a text looks the way it
does. Nothing here raises.
"""

from __future__ import annotations

import codecs
import re
from email.errors import HeaderParseError
from email.header import decode_header

FALLBACK_CHAIN = ("utf-8", "windows-1252", "iso-8859-15")

# Codecs Python knows that are not charsets a mail can honestly declare: they would turn
# backslash sequences into characters or decode nothing at all.
_NOT_MAIL_CHARSETS = frozenset(
    {"unicode_escape", "raw_unicode_escape", "idna", "punycode", "undefined", "utf-7"}
)
# Wide encodings read UTF-8 bytes as something else entirely; a wrong label there is not the
# everyday "declared latin-1, sent UTF-8" mistake, so they are only tried, never overridden.
_WIDE = frozenset({"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"})
_ALIASES = {"utf8mb4": "utf-8", "utf8mb3": "utf-8", "unicode-1-1-utf-8": "utf-8"}
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[qQbB]\?")


def _lookup(declared: str | None) -> tuple[str | None, str | None]:
    """Map a declared charset to a codec name; the second item is a defect when it is unusable."""
    if declared is None:
        return None, None
    name = declared.strip().strip("\"'").lower().split("*", 1)[0]
    if not name:
        return None, None
    shown = repr(name[:40].encode("ascii", "backslashreplace").decode("ascii"))
    if name in _ALIASES:
        return _ALIASES[name], f"charset alias {shown} read as {_ALIASES[name]}"
    try:
        codec = codecs.lookup(name)
    except (LookupError, ValueError, UnicodeError):
        return None, f"unknown charset {shown}"
    if codec.name in _NOT_MAIL_CHARSETS or not getattr(codec, "_is_text_encoding", True):
        return None, f"unsupported charset {shown}"
    return codec.name, None


def _looks_like_utf8(payload: bytes) -> bool:
    """True when the bytes hold non-ASCII text that is valid UTF-8 (very rare in 8-bit text)."""
    if payload.isascii():
        return False
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _clean(text: str) -> str:
    return text.replace("\x00", "").removeprefix("\ufeff")


def decode_text(payload: bytes, declared: str | None) -> tuple[str, list[str]]:
    """Decode `payload` with the fallback chain; return the text and the defects met on the way.

    >>> decode_text("Hyvää päivää".encode("cp1252"), "us-ascii")[0]
    'Hyvää päivää'
    """
    defects: list[str] = []
    codec, problem = _lookup(declared)
    if problem:
        defects.append(problem)
    # Valid non-ASCII UTF-8 is almost never a legible text in another charset: the label lies.
    if codec is not None and codec not in _WIDE and _looks_like_utf8(payload):
        defects.append(f"declared charset {declared!r} but the text is UTF-8")
        codec = "utf-8"
    candidates: list[str] = []
    if codec is not None:
        # windows-1252 is a superset of latin-1 in practice (WHATWG reads them as one).
        candidates.append("cp1252" if codec in ("latin-1", "iso8859-1") else codec)
    candidates.extend(c for c in FALLBACK_CHAIN if c not in candidates)
    for index, candidate in enumerate(candidates):
        try:
            text = payload.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        if index > 0 and codec is not None:
            defects.append(f"charset {declared!r} did not fit; decoded as {candidate}")
        elif index > 0 and not payload.isascii():
            defects.append(f"no usable charset declared; decoded as {candidate}")
        return _clean(text), defects
    # Unreachable in practice: iso-8859-15 maps all 256 byte values.
    defects.append("no charset fitted; undecodable bytes replaced")
    return _clean(payload.decode("utf-8", "replace")), defects


def decode_header_value(value: str) -> str:
    """Decode RFC 2047 encoded words in a header value; bad charsets or base64 never raise.

    Raw 8-bit header bytes (which the stdlib carries as surrogate escapes) are decoded with the
    same fallback chain, so an unencoded "Käyttö" from an old client reads right too.
    """
    if any("\udc80" <= char <= "\udcff" for char in value):
        raw = value.encode("utf-8", "surrogateescape")
        value = decode_text(raw, None)[0]
    value = value.replace("\x00", "")
    if not _ENCODED_WORD.search(value):
        return value
    try:
        pieces = decode_header(value)
    except (HeaderParseError, ValueError, LookupError):
        return value
    out: list[str] = []
    for chunk, charset in pieces:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            # decode_header turns unencoded runs into bytes with raw-unicode-escape.
            out.append(chunk.decode("raw-unicode-escape", "replace"))
        else:
            out.append(decode_text(chunk, charset)[0])
    return "".join(out)
