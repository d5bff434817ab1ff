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
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from core.config import load_settings
from devserver.dovecot import DovecotServer
from practices.cli import main
from store.app import App, open_app

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Installation:
    """A configured practice-inbox pointed at one Dovecot user."""

    server: DovecotServer
    user: str
    config_path: Path
    password_env: str

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

    def deliver(self, raw: bytes, folder: str = "INBOX") -> int:
        return self.server.append(self.user, folder, raw)

    def uids(self, folder: str) -> list[int]:
        return self.server.list_uids(self.user, folder)


PASSWORD_ENV = "PRACTICES_TEST_IMAP_PASSWORD"


def new_installation(
    server: DovecotServer, directory: Path, setenv: Callable[[str, str], None], prefix: str = "u"
) -> Installation:
    """A practice-inbox with its own IMAP user, data dir and upgraded SQLite schema; its
    password goes to the environment through `setenv` (a fixture's monkeypatch.setenv)."""
    user = f"{prefix}{uuid.uuid4().hex[:10]}"
    server.add_user(user, "pw-" + user)
    setenv(PASSWORD_ENV, "pw-" + user)
    config = directory / "practices.toml"
    write_config(config, server, user, PASSWORD_ENV)
    installation = Installation(server, user, config, PASSWORD_ENV)
    assert installation.cli("db", "upgrade") == 0
    return installation


def write_config(
    path: Path,
    server: DovecotServer,
    user: str,
    password_env: str,
    *,
    security: str = "tls",
    ca_file: str | None = None,
    folder: str = "INBOX",
    extra: str = "",
) -> None:
    port = server.imaps_port if security == "tls" else server.imap_port
    ca = str(server.ca_file) if ca_file is None else ca_file
    path.write_text(
        f"""
[storage]
data_dir = "{path.parent / "data"}"
fsync = true

[schedule]
interval_seconds = 1

[[mailbox]]
name = "avoinhallinto"
host = "{server.host}"
port = {port}
security = "{security}"
ca_file = "{ca}"
username = "{user}"
password_env = "{password_env}"
folder = "{folder}"
processed_folder = "Käsitellyt"
failed_folder = "Virheelliset"
connect_timeout_seconds = 5.0
read_timeout_seconds = 10.0

[senders]
public_domains = ["*.fi"]
own_addresses = ["avoinhallinto@vm.fi"]

[organisations]
"vm.fi" = "Valtiovarainministeriö"
{extra}
""",
        encoding="utf-8",
    )


def submission(
    subject: str = "Selkokielinen lomake",
    body: str | None = None,
    sender: str = "Maija Virtanen <maija.virtanen@vm.fi>",
    **headers: str,
) -> bytes:
    """A plain Finnish submission with a unique Message-ID."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "avoinhallinto@vm.fi"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
    message["Message-ID"] = make_msgid(idstring=uuid.uuid4().hex, domain="vm.fi")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(
        body
        or (
            "Hei,\n\nMitä tehtiin ja miksi?\nUudistimme lomakkeen selkokieliseksi, koska "
            "asiakkaat eivät ymmärtäneet sitä.\n\nMitä saatiin aikaiseksi?\nYhteydenotot "
            "vähenivät puoleen.\n\nMitä jatkossa?\nSeuraavaksi uudistamme ohjeet.\n\n"
            "Lisätietoa\nMaija Virtanen, maija.virtanen@vm.fi\n\nYstävällisin terveisin\n"
            "Maija Virtanen\nValtiovarainministeriö\n"
        )
    )
    return message.as_bytes()
