"""Session-wide fixtures for real servers: a throwaway Dovecot and the optional PostgreSQL URL.

Kept small on purpose: per-package fixtures live in their own conftest files.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from devserver.courier import CourierServer, courier_unavailable
from devserver.dovecot import DOVECOT_BINARY, DovecotServer
from devserver.dovecot_setup import DovecotOptions
from devserver.imap_server import ImapTestServer
from devserver.smtp import SmtpServer
from tests.browser import browser
from tests.configs import SMTP_PASSWORD_ENV

__all__ = ["browser"]  # the session-wide Chromium, for every test that judges a page

POSTGRES_URL_ENV = "PRACTICES_TEST_DATABASE_URL"


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"true", "1", "yes"}


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A running Dovecot with user "editor"/"secret"; stopped and removed after the session.

    Skips when Dovecot is not installed on a developer machine, but fails on CI (CI=true),
    where a missing server must never turn the IMAP tests silently into skips.
    """
    if not Path(DOVECOT_BINARY).exists():
        reason = f"{DOVECOT_BINARY} not installed (apt-get install dovecot-imapd)"
        if _on_ci():
            pytest.fail(reason + " but CI=true requires it")
        pytest.skip(reason)
    with DovecotServer(users={"editor": "secret"}) as server:
        yield server


def _skip_or_fail(reason: str) -> None:
    """Skip on a developer machine, saying why; fail on CI (CI=true), where a missing server
    must never turn its tests silently into skips."""
    if _on_ci():
        pytest.fail(f"{reason}, but CI=true requires it")
    pytest.skip(f"{reason} (skipped outside CI only)")


@pytest.fixture(scope="session")
def dovecot_inbox_prefix() -> Iterator[DovecotServer]:
    """Dovecot set up as Courier-style servers are: personal namespace "INBOX.", separator "."."""
    if not Path(DOVECOT_BINARY).exists():
        _skip_or_fail(f"{DOVECOT_BINARY} not installed (apt-get install dovecot-imapd)")
    options = DovecotOptions(namespace_prefix="INBOX.", separator=".")
    with DovecotServer(users={"editor": "secret"}, options=options) as server:
        yield server


@pytest.fixture(scope="session")
def courier() -> Iterator[CourierServer]:
    """Debian's Courier IMAP (NAMESPACE "INBOX." and ".", no MOVE) with user "editor"."""
    problem = courier_unavailable()
    if problem:
        _skip_or_fail(problem)
    with CourierServer(users={"editor": "secret"}) as server:
        yield server


# The servers every portable IMAP behaviour is tested on (`imap_server`).
IMAP_SERVERS = ("dovecot", "dovecot_inbox_prefix", "courier")


@pytest.fixture(params=IMAP_SERVERS)
def imap_server(request: pytest.FixtureRequest) -> ImapTestServer:
    """Each real IMAP server in turn: Dovecot as packaged, Dovecot with an "INBOX." namespace,
    and Courier."""
    server: ImapTestServer = request.getfixturevalue(request.param)
    return server


@pytest.fixture
def fresh_mailbox(dovecot: DovecotServer) -> tuple[str, str]:
    """(user, password) of a new IMAP user with an empty mailbox, unique to this test."""
    return dovecot.fresh_user()


@pytest.fixture
def smtp_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SmtpServer]:
    """A real SMTP server on loopback (STARTTLS and AUTH required), fresh for each test; its
    password is in $PRACTICES_TEST_SMTP_PASSWORD, as `tests.configs.smtp_table` expects."""
    monkeypatch.setenv(SMTP_PASSWORD_ENV, "smtp-secret")
    with SmtpServer(tmp_path / "smtp", users={"avoinhallinto": "smtp-secret"}) as server:
        yield server


@pytest.fixture(scope="session")
def postgres_url() -> str | None:
    """The PostgreSQL URL from PRACTICES_TEST_DATABASE_URL, or None when it is unset."""
    return os.environ.get(POSTGRES_URL_ENV) or None


@pytest.fixture
def postgres_database(postgres_url: str | None) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database of this test's own, dropped afterwards
    (skips when PRACTICES_TEST_DATABASE_URL is unset)."""
    if postgres_url is None:
        pytest.skip(f"{POSTGRES_URL_ENV} is not set")
    name = f"practices_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_urls(postgres_url: str | None) -> list[str]:
    """Databases store tests run against: "sqlite" always, PostgreSQL when configured."""
    return ["sqlite"] if postgres_url is None else ["sqlite", postgres_url]
