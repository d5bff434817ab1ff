"""The daemon sends by itself: after each poll's commit, and again when the SMTP server is back."""

from __future__ import annotations

import signal
import time

import pytest

from devserver.smtp import SmtpServer
from store.models import OutboxMail
from tests.integration.harness import Installation
from tests.integration.mailrig import mail_on
from tests.mail import submission

pytestmark = pytest.mark.dovecot


def wait_until(condition: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def test_smtp_down_then_back_the_outbox_drains_by_itself(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(
        inst,
        smtp_server,
        outbox={"first_retry_seconds": 1, "max_backoff_seconds": 1, "sweep_seconds": 1},
    )
    smtp_server.stop()
    inst.deliver(submission())
    daemon = inst.cli_subprocess("run")
    try:
        wait_until(lambda: any(row.attempts >= 2 for row in inst.rows(OutboxMail)))
        [waiting] = inst.rows(OutboxMail)
        assert waiting.status == "queued"
        assert "cannot connect to SMTP server" in waiting.last_error
        smtp_server.start()
        received = smtp_server.wait_for(1)
        assert [mail.message_id for mail in received] == [f"<{waiting.message_id}>"]
        wait_until(lambda: inst.rows(OutboxMail)[0].status == "sent")
    finally:
        daemon.send_signal(signal.SIGTERM)
        _out, err = daemon.communicate(timeout=60)
    assert daemon.returncode == 0, err.decode()[-3000:]
    assert "outbox: sent 1" in err.decode()
