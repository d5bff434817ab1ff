"""[[mailbox]]: one IMAP mailbox to watch, and where its password comes from.

Secrets never live in the TOML: a mailbox names the environment variable or the 0600 file that
holds its password, and the password is read only when a connection needs it.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from pathlib import Path

from core.config.fields import Where, link, setting, table
from core.config.oauth2 import AUTH_METHODS, OAuth2Settings
from core.config.secrets import describe_secret, read_secret

SECURITY_MODES = ("tls", "starttls", "plain")
# The port of a mailbox whose security is not "tls" and whose port is not given.
STARTTLS_PORT = 143


@table
class MailboxSettings:
    """One IMAP mailbox to watch; `name` is the stable key stored on every inbound row."""

    name: str = setting(not_blank=True, doc="stable name stored on every message")
    host: str = setting(not_blank=True, doc="IMAP server")
    username: str = setting(not_blank=True, doc="IMAP login")
    port: int = setting(
        default=993, at_least=1, at_most=65535, doc="993 for tls; 143 for starttls and plain"
    )
    security: str = setting(default="tls", choices=SECURITY_MODES, doc="tls | starttls | plain")
    ca_file: str = setting(default="", doc="a private CA to trust besides the system's")
    auth: str = setting(
        default="password", choices=AUTH_METHODS, doc="password | oauth2 (the [oauth2] app)"
    )
    password_env: str = setting(default="", doc="environment variable holding the password")
    password_file: str = setting(default="", doc="file (mode 0600) holding the password")
    folder: str = setting(default="INBOX", not_blank=True, doc="the folder watched")
    processed_folder: str = setting(
        default="Käsitellyt", not_blank=True, doc="handled messages are moved here"
    )
    failed_folder: str = setting(
        default="Virheelliset", not_blank=True, doc="messages that failed are moved here"
    )
    connect_timeout_seconds: float = setting(default=30.0, above=0, doc="connect timeout")
    read_timeout_seconds: float = setting(
        default=120.0, above=0, doc="a server silent this long is treated as gone"
    )
    command_timeout_seconds: float = setting(
        default=300.0, above=0, doc="the whole answer to one command must arrive within this"
    )
    fetch_batch_bytes: int = setting(
        default=32 * 1024 * 1024, at_least=1, doc="messages fetched and committed together"
    )
    sent_folder: str = setting(
        default="", doc="our answers to this mailbox's senders are copied here; empty: none"
    )
    create_missing_folders: bool = setting(
        default=False,
        doc="create processed_folder and failed_folder when missing (off: a typo is an error)",
    )
    idle: bool = setting(
        default=True, doc="wait in IMAP IDLE between polls when the server offers it"
    )
    # Not a key: the [oauth2] table, linked by `Settings.checked` when `auth = "oauth2"`.
    oauth2: OAuth2Settings | None = link(default=None)

    def checked(self, where: Where) -> MailboxSettings:
        """The rules between keys: TLS off only on loopback, exactly one password source, an
        existing CA file, three distinct folders, and port 143 by default without TLS."""
        if self.security == "plain" and not is_loopback(self.host):
            raise where.fail(
                "security",
                f"plain IMAP is allowed only to a loopback host, not {self.host!r}; "
                "use tls or starttls",
            )
        if self.auth == "oauth2" and (self.password_env or self.password_file):
            raise where.fail("password_env", 'auth = "oauth2" takes no password; remove it')
        if self.auth == "password" and bool(self.password_env) == bool(self.password_file):
            raise where.fail("password_env", "set exactly one of password_env or password_file")
        if self.ca_file and not Path(self.ca_file).is_file():
            raise where.fail("ca_file", f"file {self.ca_file!r} does not exist")
        if len({self.folder, self.processed_folder, self.failed_folder}) != 3:
            raise where.fail(
                "processed_folder", "folder, processed_folder and failed_folder must differ"
            )
        if self.sent_folder == self.folder:
            raise where.fail(
                "sent_folder", "must not be the watched folder (our answers would loop)"
            )
        if "port" not in where.given and self.security != "tls":
            return replace(self, port=STARTTLS_PORT)
        return self

    def password(self) -> str:
        """Read the password from the environment or the named file, at the moment it is needed."""
        return read_secret(f"mailbox {self.name!r}", self.password_env, self.password_file)

    def describe_password(self) -> str:
        """Say where the password comes from, never what it is."""
        if self.auth == "oauth2":
            return "OAuth 2.0 token of the [oauth2] application"
        return describe_secret(self.password_env, self.password_file)


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only (localhost, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
