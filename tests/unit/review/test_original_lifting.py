"""How the draft page's original message is made cheap to parse: big base64 runs (photos) are
swapped for a marker before the stdlib parser reads the message line by line."""

from __future__ import annotations

import base64

from review.original import _BIG_RUN_LINES, _lift_big_parts


def _base64_lines(count: int, newline: bytes) -> bytes:
    line = base64.b64encode(bytes(range(57)))  # 76 characters, as mail wraps base64
    return newline.join([line] * count)


def test_a_photo_sized_run_becomes_one_marker_line_with_its_decoded_size() -> None:
    head = b"Content-Type: image/jpeg\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    run = _base64_lines(_BIG_RUN_LINES, b"\r\n")
    lifted, sizes = _lift_big_parts(head + run + b"\r\n--sep--\r\n")
    ((marker, size),) = sizes.items()
    assert size == _BIG_RUN_LINES * 57
    assert lifted == head + base64.b64encode(marker) + b"\r\n--sep--\r\n"


def test_a_run_at_the_very_end_without_a_newline_is_lifted_too() -> None:
    lifted, sizes = _lift_big_parts(b"x\n" + _base64_lines(_BIG_RUN_LINES, b"\n"))
    ((marker, _size),) = sizes.items()
    assert lifted == b"x\n" + base64.b64encode(marker) + b"\r"


def test_shorter_runs_and_other_lines_stay_as_they_are() -> None:
    raw = b"Subject: koe\n\n" + _base64_lines(_BIG_RUN_LINES - 1, b"\n") + b"\nteksti\n"
    assert _lift_big_parts(raw) == (raw, {})
