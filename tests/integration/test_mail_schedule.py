"""The digest and the alert arrive once at their time: the clock is injected, never slept on.

The digest's real APScheduler cron trigger says when it fires; the test moves the clock to each
fire time and runs the job there, as the scheduler would, then sends the outbox through the
real SMTP server.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from devserver.smtp import Received, SmtpServer
from practices.mailout.jobs import MailJobs
from review.dates import EDITORIAL_TZ
from store.models import utcnow
from tests.integration.harness import Installation
from tests.integration.mailrig import body, mail_on
from tests.mail import submission

pytestmark = pytest.mark.dovecot


class Clock:
    """A clock the test sets."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def to(server: SmtpServer, address: str) -> list[Received]:
    return [mail for mail in server.messages() if address in mail.rcpt_tos]


def test_the_digest_arrives_once_at_its_time_and_not_on_a_day_with_nothing_new(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(
        inst,
        smtp_server,
        digest={"editors": ["toimitus@vm.fi"], "time": "08:00"},
        web={"public_url": "https://toimitus.avoinhallinto.fi"},
    )
    inst.deliver(submission(subject="Selkokieliset lomakkeet"))
    assert inst.cli("poll") == 0  # draft 1, made now
    app = inst.app()
    clock = Clock(utcnow() - timedelta(days=2))
    mail = MailJobs(app, threading.Event(), clock)
    try:
        fires = []
        while clock.now < utcnow() + timedelta(days=1):
            fire = mail.next_digest(clock.now + timedelta(seconds=1))
            assert fire is not None
            clock.now = fire
            fires.append((fire, mail.digest_job()))
            mail.sender.drain()
        assert all(fire.astimezone(EDITORIAL_TZ).strftime("%H:%M") == "08:00" for fire, _ in fires)
        queued = [fire for fire, row in fires if row is not None]
        # Fires before the draft existed sent nothing; the first one after it, one digest.
        assert len(queued) == 1 and len(fires) >= 3
        [digest] = to(smtp_server, "toimitus@vm.fi")
        assert digest.message["Auto-Submitted"] == "auto-generated"
        text = body(digest)
        assert "#1 Selkokieliset lomakkeet" in text
        assert "https://toimitus.avoinhallinto.fi/drafts/1" in text
        clock.now = queued[0]
        assert mail.digest_job() is None  # the same fire again (a restart): no second digest
        mail.sender.drain()
        assert len(to(smtp_server, "toimitus@vm.fi")) == 1
    finally:
        app.close()


def test_the_operators_alert_comes_once_when_health_turns_bad_and_once_when_it_recovers(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(inst, smtp_server, alerts={"operators": ["yllapito@vm.fi"]})
    assert inst.cli("poll") == 0
    app = inst.app()
    clock = Clock(utcnow())
    mail = MailJobs(app, threading.Event(), clock)
    try:
        assert mail.health_job() is None  # healthy, no incident open: nothing to say
        clock.now = utcnow() + timedelta(hours=1)  # the last poll is an hour old: stale
        bad = mail.health_job()
        assert bad is not None and bad.context["state"] == "bad"
        clock.now += timedelta(minutes=5)
        assert mail.health_job() is None  # still bad: the same incident, no second mail
        mail.sender.drain()
        assert inst.cli("poll") == 0
        clock.now = utcnow()
        recovered = mail.health_job()
        assert recovered is not None and recovered.context["state"] == "recovered"
        assert mail.health_job() is None
        mail.sender.drain()
    finally:
        app.close()
    alerts = to(smtp_server, "yllapito@vm.fi")
    assert len(alerts) == 2
    assert "UNHEALTHY: mailbox avoinhallinto: last successful poll" in str(
        alerts[0].message["Subject"]
    )
    assert "recovered" in str(alerts[1].message["Subject"])
    assert "turned unhealthy" in body(alerts[0])
