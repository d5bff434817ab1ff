"""The operators' alert: one mail when health turns bad, one when it recovers, none in between.

The state lives in the outbox itself: the last alert says whether an incident is open
(`state` "bad") and since when. Each mail is keyed by its incident, so a restart, two daemons
or a check that runs twice queue it once. The checks are `practices health`'s.
"""

from __future__ import annotations

import socket
from datetime import datetime

from sqlalchemy.orm import Session

from core.config import Settings
from core.vocabulary import MailKind
from practices.health import HealthReport
from store import outbox
from store.models import OutboxMail

BAD = "bad"
RECOVERED = "recovered"


def queue_alert(
    session: Session, settings: Settings, report: HealthReport, now: datetime
) -> OutboxMail | None:
    """Queue an alert when health changed since the last one; None when nothing changed."""
    if not settings.alerts.operators or not settings.smtp.enabled:
        return None
    last = outbox.latest(session, MailKind.ALERT)
    incident_open = last is not None and last.context.get("state") == BAD
    changed = report.healthy == incident_open
    if not changed:
        return None
    if report.healthy:
        assert last is not None
        since = str(last.context.get("since", ""))
        state, key = RECOVERED, f"{MailKind.ALERT.value}:{since}:{RECOVERED}"
    else:
        since = now.isoformat()
        state, key = BAD, f"{MailKind.ALERT.value}:{since}:{BAD}"
    return outbox.enqueue(
        session,
        kind=MailKind.ALERT,
        recipients=list(settings.alerts.operators),
        domain=settings.smtp.domain,
        language="en",
        dedup_key=key,
        now=now,
        context={
            "state": state,
            "since": since,
            "at": now.isoformat(timespec="seconds"),
            "host": socket.gethostname(),
            "problems": list(report.problems),
        },
    )
