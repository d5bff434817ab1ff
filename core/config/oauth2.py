"""[oauth2]: the app registration whose tokens log in mailboxes and SMTP with `auth = "oauth2"`.

Microsoft 365 accepts only OAuth 2.0 on IMAP and SMTP once basic authentication is off. A
daemon has no user at a browser, so it uses the client-credentials flow: the application
(`client_id` in `tenant`) proves itself with a client secret or a certificate and gets a token
for `scope`; Exchange then lets it into the mailboxes an administrator granted it. One
application serves every mailbox and SMTP, so it is configured once, here.

The secret never lives in the TOML: `client_secret_env` or `client_secret_file` (mode 0600),
or `certificate_file` (a PEM holding the private key and its certificate, mode 0600).
`client_secret_expires` is the date Entra ID shows for the secret: `practices health` warns
`expiry_warning_days` before it, since an expired secret stops all mail at once.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from core.config.fields import Where, setting, table
from core.config.secrets import describe_secret, read_secret

AUTH_METHODS = ("password", "oauth2")
EXCHANGE_SCOPE = "https://outlook.office365.com/.default"


@table
class OAuth2Settings:
    """[oauth2]: client-credentials sign-in for `auth = "oauth2"`; off while client_id is empty."""

    tenant: str = setting(default="", doc="directory (tenant) ID or domain of the app")
    client_id: str = setting(default="", doc="application (client) ID; empty: OAuth 2.0 off")
    client_secret_env: str = setting(default="", doc="environment variable holding the secret")
    client_secret_file: str = setting(default="", doc="file (mode 0600) holding the secret")
    certificate_file: str = setting(
        default="", doc="PEM with private key and certificate (mode 0600), instead of a secret"
    )
    authority: str = setting(
        default="https://login.microsoftonline.com", doc="token service; the tenant is appended"
    )
    scope: str = setting(default=EXCHANGE_SCOPE, doc="what the token is for")
    ca_file: str = setting(default="", doc="a private CA for the token service")
    timeout_seconds: float = setting(default=30.0, above=0, doc="token service timeout")
    client_secret_expires: str = setting(
        default="", doc="YYYY-MM-DD the client secret expires; empty: not tracked"
    )
    expiry_warning_days: int = setting(
        default=30, at_least=1, doc="health warns this many days before the secret expires"
    )

    @property
    def enabled(self) -> bool:
        return bool(self.client_id)

    @property
    def authority_url(self) -> str:
        """The authority with the tenant: https://login.microsoftonline.com/<tenant>."""
        return f"{self.authority.rstrip('/')}/{self.tenant}"

    @property
    def secret_expires_on(self) -> date | None:
        expires = self.client_secret_expires
        return date.fromisoformat(expires) if expires else None

    def checked(self, where: Where) -> OAuth2Settings:
        """Tenant with a client ID, exactly one credential, an https authority, a real date."""
        if not self.client_id:
            return self
        if not self.tenant.strip():
            raise where.fail("tenant", "is required with client_id (the Directory (tenant) ID)")
        sources = [self.client_secret_env, self.client_secret_file, self.certificate_file]
        if sum(1 for source in sources if source) != 1:
            raise where.fail(
                "client_secret_env",
                "set exactly one of client_secret_env, client_secret_file or certificate_file",
            )
        parsed = urlparse(self.authority)
        if parsed.scheme != "https" or not parsed.hostname:
            raise where.fail("authority", f"must be an https:// URL, got {self.authority!r}")
        if self.ca_file and not Path(self.ca_file).is_file():
            raise where.fail("ca_file", f"file {self.ca_file!r} does not exist")
        try:
            self.secret_expires_on  # noqa: B018 - parsing is the check
        except ValueError:
            got = self.client_secret_expires
            raise where.fail(
                "client_secret_expires", f"must be a date YYYY-MM-DD, got {got!r}"
            ) from None
        return self

    def client_secret(self) -> str:
        """The client secret, read from the environment or its file when a token is needed."""
        return read_secret(
            "[oauth2]", self.client_secret_env, self.client_secret_file, "client_secret_file"
        )

    def certificate_pem(self) -> str:
        """The PEM of `certificate_file` (private key and certificate), refused if others can
        read it, as a secret file is."""
        return read_secret("[oauth2]", "", self.certificate_file, "certificate_file")

    def describe_credential(self) -> str:
        """Where the credential comes from, never what it is."""
        if self.certificate_file:
            return f"certificate {self.certificate_file}"
        return "client secret " + describe_secret(self.client_secret_env, self.client_secret_file)
