"""How a failure is worded on its row: the reason an operator reads, and the traceback kept."""

from __future__ import annotations

from core.errors import MessageError
from ingest.outcomes import failure_reason, too_large, traceback_text


def test_a_message_too_large_is_a_message_failure_naming_the_limit_key() -> None:
    failure = too_large(70_000_000, 62_914_560)
    assert isinstance(failure, MessageError)
    assert failure_reason(failure) == (
        "too large: 70000000 bytes, limit limits.max_message_bytes = 62914560"
    )


def test_a_failure_recorded_where_it_was_found_keeps_no_traceback() -> None:
    assert traceback_text(too_large(2, 1)) == ""


def test_a_raised_failure_keeps_where_it_broke() -> None:
    def broken_understanding() -> None:
        raise ValueError("no sections")

    try:
        broken_understanding()
    except ValueError as exc:
        text = traceback_text(exc)
    assert "broken_understanding" in text and text.endswith("ValueError: no sections\n")


def test_an_unexpected_error_is_named_by_its_type() -> None:
    assert failure_reason(KeyError("subject")) == "KeyError: 'subject'"
