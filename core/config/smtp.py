"""[smtp]: the server our mail goes out through, and who it says it is from.

Like IMAP: TLS from the first byte (`tls`, port 465) or upgraded (`starttls`, port 587, the
default), always verified against the system CAs or `ca_file`; `plain` only to a loopback host
(a local relay). With `username` set we log in (AUTH) after TLS is up, with a password from the
environment or a 0600 file. An empty `host` switches mail out off: nothing is queued then.
"""

from __future__ import annotations

from dataclasses import replace
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path

from core.config.fields import Where, link, setting, table
from core.config.mailbox import SECURITY_MODES, is_loopback
from core.config.oauth2 import AUTH_METHODS, OAuth2Settings
from core.config.secrets import describe_secret, read_secret

DEFAULT_PORTS = {"tls": 465, "starttls": 587, "plain": 25}


@table
class SmtpSettings:
    """[smtp]: connection, login and the From, Reply-To of every mail we send."""

    host: str = setting(default="", doc="SMTP server; empty: no mail is sent (or queued)")
    port: int = setting(
        default=587, at_least=1, at_most=65535, doc="587 for starttls, 465 for tls, 25 for plain"
    )
    security: str = setting(
        default="starttls", choices=SECURITY_MODES, doc="starttls | tls | plain"
    )
    ca_file: str = setting(default="", doc="a private CA to trust besides the system's")
    username: str = setting(default="", doc="SMTP login; empty: no AUTH")
    auth: str = setting(
        default="password", choices=AUTH_METHODS, doc="password | oauth2 (the [oauth2] app)"
    )
    password_env: str = setting(default="", doc="environment variable holding the password")
    password_file: str = setting(default="", doc="file (mode 0600) holding the password")
    from_address: str = setting(default="", case="lower", doc="From: of every mail we send")
    from_name: str = setting(default="Avoin hallinto", doc="display name in From:")
    reply_to: str = setting(default="", case="lower", doc="Reply-To:; empty: none")
    timeout_seconds: float = setting(
        default=30.0, above=0, doc="connect and reply timeout of the SMTP server"
    )
    # Not a key: the [oauth2] table, linked by `Settings.checked` when `auth = "oauth2"`.
    oauth2: OAuth2Settings | None = link(default=None)

    @property
    def enabled(self) -> bool:
        """Whether mail goes out at all."""
        return bool(self.host)

    @property
    def sender(self) -> Address:
        """The From: address, with its display name."""
        local, _at, domain = self.from_address.partition("@")
        return Address(self.from_name, local, domain)

    @property
    def domain(self) -> str:
        """The domain of our Message-IDs: the From: address's."""
        return self.from_address.rpartition("@")[2]

    def checked(self, where: Where) -> SmtpSettings:
        """A From: address when mail is on, TLS off only on loopback, one password source when
        logging in (none without a login), an existing CA file, and the port by security."""
        if not self.host:
            return self
        if not _is_address(self.from_address):
            raise where.fail("from_address", "must be an address (user@domain) when host is set")
        if self.reply_to and not _is_address(self.reply_to):
            raise where.fail("reply_to", "must be an address (user@domain) or empty")
        if self.security == "plain" and not is_loopback(self.host):
            raise where.fail(
                "security",
                f"plain SMTP is allowed only to a loopback host, not {self.host!r}; "
                "use starttls or tls",
            )
        if self.auth == "oauth2":
            if not self.username:
                raise where.fail("username", 'auth = "oauth2" needs the mailbox to send as')
            if self.password_env or self.password_file:
                raise where.fail("password_env", 'auth = "oauth2" takes no password; remove it')
        elif self.username and bool(self.password_env) == bool(self.password_file):
            raise where.fail("password_env", "set exactly one of password_env or password_file")
        if not self.username and (self.password_env or self.password_file):
            raise where.fail("username", "a password is given but no username to log in with")
        if self.ca_file and not Path(self.ca_file).is_file():
            raise where.fail("ca_file", f"file {self.ca_file!r} does not exist")
        if "port" not in where.given:
            return replace(self, port=DEFAULT_PORTS[self.security])
        return self

    def password(self) -> str:
        """The login password, read when a connection needs it."""
        return read_secret("[smtp]", self.password_env, self.password_file)

    def describe_password(self) -> str:
        """Where the password comes from, never what it is."""
        if not self.username:
            return "(no login)"
        if self.auth == "oauth2":
            return "OAuth 2.0 token of the [oauth2] application"
        return describe_secret(self.password_env, self.password_file)


def _is_address(text: str) -> bool:
    _name, address = parseaddr(text)
    local, at, domain = address.partition("@")
    return bool(local and at and "." in domain) and address == text
