"""What `practices check-config` proves beyond a well-formed file: a registry of small checks.

A check takes the settings and yields `Finding`s, one per thing it looked at (a mailbox, the
data directory), each ok or not, with a line that names the thing and, when it is wrong, the
fix. Local checks always run and touch nothing outside this machine; connection checks run with
`--connect` and log in to what the configuration names, changing nothing there.

Adding a check is one function and one entry in `LOCAL_CHECKS` or `CONNECTION_CHECKS`, as the
SMTP login of the mail-out work and the IMAP server report (`ingest.imap_report`) did.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from core.access import can_read_write, can_write_dir, private_dir_fix, private_file_fix
from core.config import Settings
from core.errors import ConfigError, MailboxError, PracticesError
from ingest.imap_report import server_report
from practices.mailout.transport import check_login
from store.db import make_engine
from store.schema import HEAD_REVISION, current_revision


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing a check looked at: `subject` ("mailbox avoinhallinto"), ok or not, and why."""

    subject: str
    ok: bool
    detail: str


Check = Callable[[Settings], Iterator[Finding]]


def _secret(subject: str, read: Callable[[], object], source: Callable[[], str]) -> Finding:
    """Whether `read()` gets the secret now: its error, or where it was read from."""
    try:
        read()
    except ConfigError as exc:
        return Finding(subject, False, str(exc))
    return Finding(subject, True, f"read from {source()}")


def mailbox_secrets(settings: Settings) -> Iterator[Finding]:
    """Every mailbox's password can be read now, from a source only the service user reads."""
    for mailbox in settings.mailboxes:
        if mailbox.auth == "oauth2":
            continue  # its credential is the [oauth2] application's (`oauth2_credential`)
        subject = f"mailbox {mailbox.name} password"
        yield _secret(subject, mailbox.password, mailbox.describe_password)


def smtp_secret(settings: Settings) -> Iterator[Finding]:
    """With mail out on and a login configured, its password can be read now."""
    smtp = settings.smtp
    if smtp.enabled and smtp.username and smtp.auth != "oauth2":
        yield _secret("[smtp] password", smtp.password, smtp.describe_password)


def oauth2_credential(settings: Settings) -> Iterator[Finding]:
    """With [oauth2] configured, its client secret or certificate can be read now."""
    oauth2 = settings.oauth2
    if oauth2.enabled:
        read = oauth2.certificate_pem if oauth2.certificate_file else oauth2.client_secret
        yield _secret("[oauth2] credential", read, oauth2.describe_credential)


def data_directory(settings: Settings) -> Iterator[Finding]:
    """data_dir can be written (or created) by this user, and so can the SQLite file in it."""
    path = settings.data_dir
    subject = f"storage.data_dir {path}"
    if path.exists():
        if not path.is_dir() or not can_write_dir(path):
            yield Finding(subject, False, f"is not a writable directory; {private_dir_fix(path)}")
            return
        yield Finding(subject, True, "writable")
    else:
        parent = next(p for p in path.parents if p.exists())
        if not can_write_dir(parent):
            yield Finding(subject, False, f"does not exist; {private_dir_fix(path)}")
            return
        yield Finding(subject, True, "does not exist yet; will be created")
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database:
        database = Path(url.database)
        if database.exists() and not can_read_write(database):
            detail = f"is not readable and writable; {private_file_fix(database)}"
            yield Finding(f"database file {database}", False, detail)


def database_connection(settings: Settings) -> Iterator[Finding]:
    """A server database answers and is at the schema this version needs (SQLite: data_dir)."""
    if make_url(settings.database_url).get_backend_name() == "sqlite":
        return
    subject = f"database {settings.masked_database_url()}"
    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        current, head = current_revision(engine), HEAD_REVISION
    except SQLAlchemyError as exc:
        yield Finding(subject, False, f"cannot connect: {str(exc).splitlines()[0]}")
        return
    finally:
        engine.dispose()
    if current == head:
        yield Finding(subject, True, f"connected; schema {current}")
    else:
        detail = f"connected; schema {current or 'empty'}, needs {head}: run practices db upgrade"
        yield Finding(subject, False, detail)


def imap_servers(settings: Settings) -> Iterator[Finding]:
    """Every mailbox accepts our login; what its server offers (capabilities, namespace and
    delimiter) and each configured folder in the server's form, existing or not. Read only:
    nothing is created or selected, and a folder the daemon would create is not a failure."""
    for mailbox in settings.mailboxes:
        where = f"mailbox {mailbox.name} at {mailbox.host}:{mailbox.port}"
        try:
            report = server_report(mailbox)
        except (MailboxError, ConfigError) as exc:
            yield Finding(where, False, str(exc))
            continue
        for item in report.items():
            subject = where if item.topic == "login" else f"mailbox {mailbox.name} {item.topic}"
            yield Finding(subject, item.ok, item.detail)


def smtp_login(settings: Settings) -> Iterator[Finding]:
    """With mail out on, the SMTP server accepts our TLS and login; nothing is sent."""
    if not settings.smtp.enabled:
        return
    subject = f"[smtp] {settings.smtp.host}:{settings.smtp.port}"
    try:
        yield Finding(subject, True, check_login(settings.smtp))
    except PracticesError as exc:
        yield Finding(subject, False, str(exc))


LOCAL_CHECKS: tuple[Check, ...] = (
    mailbox_secrets,
    smtp_secret,
    oauth2_credential,
    data_directory,
)
CONNECTION_CHECKS: tuple[Check, ...] = (database_connection, imap_servers, smtp_login)


def run_checks(settings: Settings, *, connect: bool) -> list[Finding]:
    """Every local check, and with `connect` every connection check, in registry order."""
    checks = LOCAL_CHECKS + (CONNECTION_CHECKS if connect else ())
    return [finding for check in checks for finding in check(settings)]
