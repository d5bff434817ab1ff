"""Where logs go and how they look: stderr (journald under systemd), as text or one JSON per line.

A log line about one message carries its facts as `extra` fields (`MESSAGE_FIELDS`): the text
form shows them in the sentence, the JSON form as keys of their own, so a log collector can
count failures per mailbox or find every line of inbound message 42 without parsing English.

    {"time": "2026-11-02T09:30:00.123Z", "level": "WARNING", "logger": "ingest.poller",
     "message": "mailbox avoinhallinto uid 15: failed (inbound 10): ...", "mailbox":
     "avoinhallinto", "uid": 15, "inbound_id": 10, "outcome": "failed", "reason": "..."}

What goes into a line is chosen where it is logged: never a password, never a message body.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

# The facts a line about a message (or a mailbox) may carry, in the order JSON shows them.
MESSAGE_FIELDS = ("mailbox", "uid", "inbound_id", "draft_id", "outcome", "reason")

# Libraries that talk too much below WARNING unless the operator asks for DEBUG.
_QUIET_BELOW_DEBUG = {
    # imapclient logs every command at DEBUG, literals included.
    "imapclient": logging.WARNING,
    "mailparser": logging.ERROR,
    "apscheduler": logging.WARNING,
    "alembic": logging.WARNING,
}

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and the message facts given."""

    def format(self, record: logging.LogRecord) -> str:
        created = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        line: dict[str, object] = {
            "time": created.replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in MESSAGE_FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(level: str, form: str = "text") -> None:
    """Log to stderr at `level`, as `form` ("text" or "json")."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if form == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=getattr(logging, level, logging.INFO), handlers=[handler], force=True)
    for name, quiet in _QUIET_BELOW_DEBUG.items():
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else quiet)
