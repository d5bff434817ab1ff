"""A practice-inbox installation wired to a real Dovecot mailbox, for integration tests.

Each test gets its own IMAP user, data directory and SQLite database, and drives the program
through the same `practices` command line an operator uses.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import func, inspect, select

from core.config import load_settings
from devserver.imap_server import ImapTestServer
from practices.cli import main
from store.app import App, open_app
from store.models import Base, InboundMessage, PracticeDraft
from tests.configs import ORGANISATIONS, SENDERS, Table, TomlValue, mailbox_table, write_config
from tests.mail import submission as submission  # re-exported: tests import it from here too

Row = TypeVar("Row", bound=Base)
AnyInstallation = TypeVar("AnyInstallation", bound="Installation")

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Installation:
    """A configured practice-inbox pointed at one user of a test IMAP server."""

    server: ImapTestServer
    user: str
    config_path: Path
    password_env: str

    def configure(self, **changes: Table) -> None:
        """(Re)write the configuration: this installation's defaults with `changes` merged in,
        key by key within each table (`mailbox={"folder": "Saapuneet"}`, `limits={...}`)."""
        tables = self.default_tables()
        for name, keys in changes.items():
            tables[name] = {**tables.get(name, {}), **keys}
        mailbox_keys = tables.pop("mailbox", {})
        mailbox = mailbox_table(self.server, self.user, self.password_env, **mailbox_keys)
        write_config(self.config_path, **tables, mailbox=[mailbox])

    def default_tables(self) -> dict[str, dict[str, TomlValue]]:
        """The tables every configuration of this installation starts from; `mailbox` holds
        only the keys that differ from `tests.configs.mailbox_table`."""
        return {
            "storage": {"fsync": True},
            "schedule": {"interval_seconds": 1},
            "mailbox": {},
            "senders": dict(SENDERS),
            "organisations": dict(ORGANISATIONS),
        }

    def cli(self, *args: str) -> int:
        """Run `practices --config ... ARGS` in this process and return its exit code."""
        return main(["--config", str(self.config_path), *args])

    def cli_subprocess(self, *args: str) -> subprocess.Popen[bytes]:
        """Start `practices ARGS` as a separate process (for kill and signal tests)."""
        env = {**os.environ, self.password_env: self.server.password(self.user)}
        return subprocess.Popen(
            [sys.executable, "-m", "practices", "--config", str(self.config_path), *args],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )

    def app(self) -> App:
        return open_app(load_settings(self.config_path))

    def rows(self, model: type[Row]) -> list[Row]:
        """Every stored row of `model`, oldest first (by primary key), read in a session of
        its own so that each call sees what the program has committed by then."""
        app = self.app()
        try:
            with app.sessions() as session:
                return list(session.scalars(select(model).order_by(*inspect(model).primary_key)))
        finally:
            app.close()

    def stored(self) -> tuple[int, int, int]:
        """(inbound rows, distinct raw hashes, drafts): equal when nothing was doubled."""
        app = self.app()
        try:
            with app.sessions() as session:
                rows = session.scalar(select(func.count()).select_from(InboundMessage))
                distinct = session.scalar(
                    select(func.count(func.distinct(InboundMessage.raw_sha256)))
                )
                drafts = session.scalar(select(func.count()).select_from(PracticeDraft))
                return int(rows or 0), int(distinct or 0), int(drafts or 0)
        finally:
            app.close()

    def deliver(self, raw: bytes, folder: str = "INBOX") -> int:
        """Put `raw` in `folder` (TOML form, created if missing); returns its UID."""
        return self.server.append(self.user, self.server.folder(folder), raw)

    def uids(self, folder: str) -> list[int]:
        """UIDs in `folder`, named as in the TOML ("Käsitellyt/2026") and looked up in the
        server's own form (the server knows its namespace: an oracle apart from our code)."""
        return self.server.list_uids(self.user, self.server.folder(folder))


PASSWORD_ENV = "PRACTICES_TEST_IMAP_PASSWORD"


def new_imap_user(
    server: ImapTestServer,
    setenv: Callable[[str, str], None],
    prefix: str,
    password_env: str = PASSWORD_ENV,
) -> str:
    """A new user of `server`, named `prefix` and random hex; its password goes to the
    environment variable `password_env` through `setenv` (a fixture's monkeypatch.setenv)."""
    user = f"{prefix}{uuid.uuid4().hex[:10]}"
    server.add_user(user, "pw-" + user)
    setenv(password_env, "pw-" + user)
    return user


def upgraded(installation: AnyInstallation) -> AnyInstallation:
    """`installation` with its default configuration written and its database upgraded."""
    installation.configure()
    assert installation.cli("db", "upgrade") == 0
    return installation


def new_installation(
    server: ImapTestServer, directory: Path, setenv: Callable[[str, str], None], prefix: str = "u"
) -> Installation:
    """A practice-inbox with its own IMAP user, data dir and upgraded SQLite schema; its
    password goes to the environment through `setenv` (a fixture's monkeypatch.setenv)."""
    user = new_imap_user(server, setenv, prefix)
    return upgraded(Installation(server, user, directory / "practices.toml", PASSWORD_ENV))
