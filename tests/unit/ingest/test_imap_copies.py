"""How an interrupted move looks for the copy it may already have made (pure part)."""

from __future__ import annotations

from ingest.imap_copies import _criteria


def test_a_message_is_looked_for_by_its_message_id() -> None:
    raw = (
        b"From: a@b.fi\r\nMessage-ID:\r\n <abc.123@b.fi>\r\nSubject: x\r\n"
        b"\r\nMessage-ID: <not@this>\r\n"  # in the body: not a header
    )
    assert _criteria(raw, 900) == ["HEADER", "Message-ID", "<abc.123@b.fi>"]


def test_without_a_message_id_a_size_window_is_searched() -> None:
    # Courier searches by its LF-counted size, smaller than the CRLF size it announces.
    assert _criteria(b"From: a@b.fi\r\n\r\nbody\r\n", 900) == ["LARGER", "450", "SMALLER", "901"]


def test_a_message_id_the_search_could_not_carry_falls_back_to_the_size_window() -> None:
    raw = "Message-ID: <ääkkönen@b.fi>\r\n\r\nx".encode()
    assert _criteria(raw, 10) == ["LARGER", "5", "SMALLER", "11"]
