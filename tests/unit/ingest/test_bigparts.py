"""Lifting large base64 bodies out before parsing: same parsed message, fewer bytes parsed."""

from __future__ import annotations

import base64
import os
from email.message import EmailMessage

import pytest

from core.config import LimitSettings
from ingest import bigparts, mime, parsetree
from ingest.message import ParsedMessage

SIZE = 300_000


def _photo_message(payload: bytes) -> bytes:
    message = EmailMessage()
    message["From"] = "maija@vm.fi"
    message["Subject"] = "Kuva"
    message.set_content("Hei, kuva liitteenä.\n")
    message.add_attachment(payload, maintype="image", subtype="jpeg", filename="kuva.jpg")
    return message.as_bytes()


def _without_lifting(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> ParsedMessage:
    with monkeypatch.context() as patch:
        patch.setattr(parsetree, "lift", lambda _raw, _params: None)
        return mime.parse_message(raw, LimitSettings())


def test_a_large_photo_body_is_lifted_out_of_the_bytes_parsed() -> None:
    raw = _photo_message(os.urandom(SIZE))
    lifted = bigparts.lift(raw)
    assert lifted is not None
    assert len(lifted.bodies) == 1
    assert len(lifted.raw) < 2000


def test_a_lifted_photo_parses_to_the_same_message(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = os.urandom(SIZE)
    raw = _photo_message(payload)
    fast = mime.parse_message(raw, LimitSettings())
    assert fast.attachments[0].payload == payload
    assert fast == _without_lifting(raw, monkeypatch)


def test_crlf_line_ends_lift_as_well(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = os.urandom(SIZE)
    raw = _photo_message(payload).replace(b"\n", b"\r\n")
    assert bigparts.lift(raw) is not None
    fast = mime.parse_message(raw, LimitSettings())
    assert fast.attachments[0].payload == payload
    assert fast == _without_lifting(raw, monkeypatch)


def test_a_small_body_is_left_to_the_parser() -> None:
    assert bigparts.lift(_photo_message(os.urandom(1000))) is None


def test_base64_with_stray_characters_is_left_to_the_parser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    raw = _photo_message(os.urandom(SIZE))
    broken = raw.replace(b"\n", b"\n*", 100)  # a defect the stdlib must report itself
    assert bigparts.lift(broken) is None
    assert mime.parse_message(broken, LimitSettings()) == _without_lifting(broken, monkeypatch)


def test_a_text_part_in_base64_is_left_to_the_parser() -> None:
    message = EmailMessage()
    message["From"] = "maija@vm.fi"
    message.set_content("Hyvää päivää " * 40_000, cte="base64")
    message.add_attachment(b"x", maintype="application", subtype="pdf", filename="a.pdf")
    assert bigparts.lift(message.as_bytes()) is None


def test_mime_source_quoted_in_a_text_part_is_not_changed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inner = _photo_message(os.urandom(SIZE))
    message = EmailMessage()
    message["From"] = "maija@vm.fi"
    message.set_content(inner.decode("utf-8"), cte="8bit")
    raw = message.as_bytes()
    assert bigparts.lift(raw) is not None  # lifted, then refused by restore
    fast = mime.parse_message(raw, LimitSettings())
    assert fast == _without_lifting(raw, monkeypatch)
    assert "Content-Transfer-Encoding: base64" in fast.text_plain


def test_a_photo_in_a_forwarded_message_is_lifted(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = os.urandom(SIZE)
    inner = EmailMessage()
    inner["From"] = "liisa@kunta.fi"
    inner["Subject"] = "Alkuperäinen"
    inner.set_content("Kuva mukana.\n")
    inner.add_attachment(payload, maintype="image", subtype="png", filename="k.png")
    outer = EmailMessage()
    outer["From"] = "maija@vm.fi"
    outer.set_content("VL:\n")
    outer.add_attachment(inner)
    raw = outer.as_bytes()
    assert bigparts.lift(raw) is not None
    fast = mime.parse_message(raw, LimitSettings())
    assert [a.payload for a in fast.attachments if a.nested_in] == [payload]
    assert fast == _without_lifting(raw, monkeypatch)


def test_restore_refuses_a_marker_that_moved() -> None:
    raw = _photo_message(os.urandom(SIZE))
    lifted = bigparts.lift(raw)
    assert lifted is not None
    moved = bigparts.Lifted(lifted.raw, lifted.marker, (lifted.bodies[0], lifted.bodies[0]))
    message, _ = parsetree._mail_parser(lifted.raw)
    assert bigparts.restore(message, moved) is None


def test_clean_base64_accepts_padding_and_line_breaks_only() -> None:
    data = b"abcd" * 100 + b"e"
    text = base64.encodebytes(data)
    assert bigparts._decode_clean(text) == data
    assert bigparts._decode_clean(text.replace(b"\n", b"\r\n")) == data
    assert bigparts._decode_clean(text.replace(b"=", b"") + b"A=\n") is None
    assert bigparts._decode_clean(b"QQ==QUJD\n") is None
    assert bigparts._decode_clean(b"QUJD=\n") is None
    assert bigparts._decode_clean(text.replace(b"\n", b" \n")) is None
