"""Mail out in integration tests: an installation sending through the test's SMTP server."""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

from devserver.smtp import Received, SmtpServer
from tests.configs import Table, smtp_table
from tests.integration.harness import Installation


def mail_on(inst: Installation, server: SmtpServer, **tables: Table) -> None:
    """Configure `inst` to send through `server`, with `tables` merged in."""
    inst.configure(smtp=smtp_table(server), **tables)


def cli_json(inst: Installation, *args: str) -> Any:
    """Run `practices ARGS --json` in this process and parse what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert inst.cli(*args, "--json") == 0
    return json.loads(out.getvalue())


def cli_text(inst: Installation, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = inst.cli(*args)
    return code, out.getvalue()


def body(mail: Received) -> str:
    """The text of a received mail, decoded."""
    message = mail.message
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")
