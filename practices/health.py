"""The checks behind `practices health`, for monitoring and the systemd watchdog.

Unhealthy when a configured mailbox has not been polled successfully for more than
`health.max_poll_age_intervals` intervals, when its cycles have failed
`health.max_consecutive_failures` times in a row, when more than `health.max_failed_messages`
failed messages wait for `practices retry`, when the schema is out of date, or when the data
directory or the SQLite file can be read by other users (they hold personal data), or when the
[oauth2] client secret has expired; `oauth2.expiry_warning_days` before that, a warning.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from core.config.oauth2 import OAuth2Settings
from store import reports
from store.app import App
from store.files import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE
from store.models import MailboxState, utcnow


@dataclass
class HealthReport:
    """Problems found (empty when healthy) and facts worth printing either way."""

    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # not unhealthy yet, but act soon

    @property
    def healthy(self) -> bool:
        return not self.problems


def _mode_problem(path: Path, allowed: int, what: str) -> str | None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return None
    if mode & ~allowed:
        return (
            f"{what} {path} has mode {mode:o}, readable by others: "
            f"run chmod {allowed:o} {path} (it holds personal data)"
        )
    return None


def check_permissions(app: App) -> list[str]:
    """Modes looser than the store gives them: 0700 on data_dir, 0600 on the SQLite file."""
    problems = [_mode_problem(app.settings.data_dir, PRIVATE_DIR_MODE, "data directory")]
    url = make_url(app.settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        problems.append(_mode_problem(Path(url.database), PRIVATE_FILE_MODE, "database file"))
    return [p for p in problems if p]


def secret_expiry(oauth2: OAuth2Settings, today: date) -> tuple[str, str]:
    """(problem, warning) about the [oauth2] client secret's expiry date; "" for none."""
    expires = oauth2.secret_expires_on
    if not oauth2.enabled or expires is None or oauth2.certificate_file:
        return "", ""
    days = (expires - today).days
    fix = (
        f"create a new secret for application {oauth2.client_id} in Entra ID, put it in "
        f"{oauth2.describe_credential().removesuffix(' ********')} and update "
        "oauth2.client_secret_expires"
    )
    if days < 0:
        return f"the [oauth2] client secret expired on {expires}: {fix}", ""
    if days <= oauth2.expiry_warning_days:
        return "", f"the [oauth2] client secret expires on {expires}, in {days} day(s): {fix}"
    return "", ""


def check_health(app: App, now: datetime | None = None) -> HealthReport:
    """Evaluate every health rule against the store."""
    now = now or utcnow()
    settings = app.settings
    report = HealthReport(problems=check_permissions(app))
    problem, warning = secret_expiry(settings.oauth2, now.date())
    report.problems += [problem] if problem else []
    report.warnings += [warning] if warning else []
    max_age = timedelta(seconds=settings.interval_seconds * settings.health.max_poll_age_intervals)
    with app.readers() as session:
        for mailbox in settings.mailboxes:
            state = session.get(MailboxState, mailbox.name)
            if state is None or state.last_success_at is None:
                report.problems.append(f"mailbox {mailbox.name}: never polled successfully")
                continue
            age = now - state.last_success_at
            report.facts.append(
                f"mailbox {mailbox.name}: last success {int(age.total_seconds())} s ago"
            )
            if age > max_age:
                report.problems.append(
                    f"mailbox {mailbox.name}: last successful poll {int(age.total_seconds())} s "
                    f"ago, more than {settings.health.max_poll_age_intervals} intervals"
                )
            if state.consecutive_failures >= settings.health.max_consecutive_failures:
                report.problems.append(
                    f"mailbox {mailbox.name}: {state.consecutive_failures} failed cycles in a "
                    f"row; last error: {state.last_error}"
                )
        failed = len(reports.retryable_ids(session))
    if failed > settings.health.max_failed_messages:
        report.problems.append(
            f"{failed} failed message(s) waiting: see `practices messages --outcome failed`, "
            "then `practices retry --all`"
        )
    return report
