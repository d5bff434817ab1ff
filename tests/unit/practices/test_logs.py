"""Log lines as text for people or as one JSON object per line, with a message's facts as keys."""

from __future__ import annotations

import json
import logging

import pytest

from practices.logs import configure_logging


def log_about_a_message(logger: logging.Logger) -> None:
    logger.warning(
        "mailbox avoinhallinto uid 15: failed (inbound 10): too large",
        extra={
            "mailbox": "avoinhallinto",
            "uid": 15,
            "inbound_id": 10,
            "draft_id": None,
            "outcome": "failed",
            "reason": "too large",
        },
    )


def test_json_format_writes_one_object_per_line_with_the_message_facts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", "json")
    log_about_a_message(logging.getLogger("ingest.poller"))
    logging.getLogger("practices.daemon").info("a line about nothing in particular")
    lines = capsys.readouterr().err.splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first == {
        "time": first["time"],
        "level": "WARNING",
        "logger": "ingest.poller",
        "message": "mailbox avoinhallinto uid 15: failed (inbound 10): too large",
        "mailbox": "avoinhallinto",
        "uid": 15,
        "inbound_id": 10,
        "outcome": "failed",
        "reason": "too large",
    }
    assert first["time"].endswith("Z") and "T" in first["time"]
    assert set(second) == {"time", "level", "logger", "message"}


def test_json_format_keeps_a_traceback_inside_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "json")
    try:
        raise ValueError("rikki")
    except ValueError:
        logging.getLogger("practices").exception("something broke")
    [line] = capsys.readouterr().err.splitlines()
    assert "ValueError: rikki" in json.loads(line)["traceback"]


def test_text_format_is_one_readable_line(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", "text")
    log_about_a_message(logging.getLogger("ingest.poller"))
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith(
        "WARNING ingest.poller: mailbox avoinhallinto uid 15: failed (inbound 10): too large"
    )


def test_chatty_libraries_stay_quiet_below_debug() -> None:
    configure_logging("INFO", "text")
    assert logging.getLogger("imapclient").getEffectiveLevel() == logging.WARNING
    configure_logging("DEBUG", "text")
    assert logging.getLogger("imapclient").getEffectiveLevel() == logging.DEBUG
