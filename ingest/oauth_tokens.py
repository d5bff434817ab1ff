"""OAuth 2.0 access tokens for IMAP and SMTP: the client-credentials flow, cached, renewed early.

msal runs the flow against `[oauth2] authority`/`tenant` (Entra ID by default; any https token
service that publishes OpenID configuration, such as the tests' loopback one). A token is kept in
memory and a new one is asked for when a quarter of its lifetime, or at most five minutes, is
left, so a connection is never opened with a token about to lapse; Exchange Online ends an IMAP
session when its token expires (`BYE ... AccessTokenExpired`), so the IMAP side also reconnects
with a fresh token before that (`ImapSource`). One `TokenSource` per application serves every
mailbox and SMTP in the process (`token_source`), from any thread.

Entra ID's refusals carry AADSTS codes; `ingest.oauth_errors` turns the common ones into one line
saying what to change. A token for Exchange Online without the application role the protocol
needs (IMAP.AccessAsApp, SMTP.SendAsApp) means admin consent is missing: that is said before
the server is even asked, instead of its bare "AUTHENTICATE failed".
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.config.oauth2 import OAuth2Settings
from core.errors import ConfigError, OAuthError, OAuthUnavailable
from ingest.oauth_errors import refusal_message

if TYPE_CHECKING:
    # At run time they are imported where a token is first asked for: most installations sign
    # in with a password, and msal with requests cost every command and daemon 0.2 s at start.
    import msal
    import requests

log = logging.getLogger(__name__)

REFRESH_MARGIN_SECONDS = 300.0
# The audiences of a token for Exchange Online (its URL, and its well-known application ID).
EXCHANGE_AUDIENCES = frozenset(
    {"https://outlook.office365.com", "00000002-0000-0ff1-ce00-000000000000"}
)
# The application permission each protocol needs in Exchange Online.
ROLES = {"imap": "IMAP.AccessAsApp", "smtp": "SMTP.SendAsApp"}
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.DOTALL)


@dataclass(frozen=True, slots=True)
class AccessToken:
    """A bearer token and when it lapses (epoch seconds); its value is never printed."""

    value: str = field(repr=False)
    expires_at: float
    lifetime: float

    def refresh_due(self, now: float) -> bool:
        """Whether to get a new one: a quarter of its lifetime, or five minutes, is left."""
        return now >= self.expires_at - min(REFRESH_MARGIN_SECONDS, self.lifetime / 4)

    def claims(self) -> dict[str, Any]:
        """The JWT payload, unverified (only read for hints); {} for an opaque token."""
        parts = self.value.split(".")
        if len(parts) != 3:
            return {}
        try:
            padded = parts[1] + "=" * (-len(parts[1]) % 4)
            claims = json.loads(base64.urlsafe_b64decode(padded))
        except (binascii.Error, ValueError):
            return {}
        return claims if isinstance(claims, dict) else {}


def require_role(token: AccessToken, protocol: str, settings: OAuth2Settings) -> None:
    """Refuse an Exchange Online token that lacks the role `protocol` needs (no admin consent)."""
    claims = token.claims()
    if str(claims.get("aud", "")).rstrip("/") not in EXCHANGE_AUDIENCES:
        return
    role = ROLES[protocol]
    if role not in (claims.get("roles") or []):
        raise OAuthError(
            f"[oauth2] application {settings.client_id} got a token without the {role} role: "
            f"in Entra ID add the Office 365 Exchange Online application permission {role} "
            "and grant admin consent"
        )


class TokenSource:
    """The tokens of one application, cached in memory; safe to share between threads."""

    def __init__(self, settings: OAuth2Settings, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._app: msal.ConfidentialClientApplication | None = None
        self._token: AccessToken | None = None
        self.issued = 0  # tokens received from the service, for tests and logs

    def token(self) -> AccessToken:
        """A token with time left; asks the token service only when the cached one is due."""
        with self._lock:
            now = self._clock()
            if self._token is None or self._token.refresh_due(now):
                self._token = self._acquire(now)
            return self._token

    def _acquire(self, now: float) -> AccessToken:
        s = self.settings
        import requests

        try:
            result = self._application().acquire_token_for_client(scopes=[s.scope])
        except requests.RequestException as exc:
            raise self._unreachable(exc) from exc
        except ValueError as exc:  # msal's word for a refused discovery (unknown tenant)
            raise OAuthError(refusal_message(s, str(exc))) from exc
        if "access_token" not in result:
            message = refusal_message(s, json.dumps(result))
            if str(result.get("error", "")) in ("temporarily_unavailable", "server_error"):
                raise OAuthUnavailable(message)
            raise OAuthError(message)
        lifetime = float(result.get("expires_in", 3600))
        self.issued += 1
        log.debug("oauth2: new token for %s, valid %d s", s.client_id, lifetime)
        return AccessToken(str(result["access_token"]), now + lifetime, lifetime)

    def _application(self) -> msal.ConfidentialClientApplication:
        if self._app is None:
            s = self.settings
            import msal
            import requests

            try:
                self._app = msal.ConfidentialClientApplication(
                    s.client_id,
                    client_credential=self._credential(),
                    authority=s.authority_url,
                    # Our authority is given, not looked up at login.microsoftonline.com.
                    instance_discovery=False,
                    http_client=_http_client(s),
                )
            except requests.RequestException as exc:
                raise self._unreachable(exc) from exc
            except ValueError as exc:
                # msal rewords a refused discovery; Entra's answer (AADSTS90002) is in the cause.
                raise OAuthError(refusal_message(s, f"{exc} {exc.__context__ or ''}")) from exc
        return self._app

    def _credential(self) -> str | dict[str, str]:
        s = self.settings
        if not s.certificate_file:
            return s.client_secret()
        pem = s.certificate_pem()
        blocks = {match.group(1): match.group(0) for match in _PEM_BLOCK.finditer(pem)}
        key = next((pem for kind, pem in blocks.items() if kind.endswith("PRIVATE KEY")), None)
        certificate = blocks.get("CERTIFICATE")
        if key is None or certificate is None:
            raise ConfigError(
                s.certificate_file,
                "certificate_file",
                "must hold a PEM private key and its PEM certificate, one after the other",
            )
        return {"private_key": key, "public_certificate": certificate}

    def _unreachable(self, exc: Exception) -> OAuthUnavailable:
        return OAuthUnavailable(
            f"[oauth2] cannot reach the token service {self.settings.authority}: "
            f"{type(exc).__name__}; retried later"
        )


def _http_client(settings: OAuth2Settings) -> requests.Session:
    """requests with our CA and timeout on every request: a session-wide `verify` loses to
    $REQUESTS_CA_BUNDLE (requests#3829), so `ca_file` would be ignored where that is set."""
    import requests

    session = requests.Session()
    session.mount("https://", requests.adapters.HTTPAdapter(max_retries=1))
    session.request = functools.partial(  # type: ignore[method-assign]
        session.request, verify=settings.ca_file or True, timeout=settings.timeout_seconds
    )
    return session


_SOURCES: dict[OAuth2Settings, TokenSource] = {}
_SOURCES_LOCK = threading.Lock()


def token_source(settings: OAuth2Settings) -> TokenSource:
    """The process's one `TokenSource` for this application (IMAP, IDLE and SMTP share it)."""
    with _SOURCES_LOCK:
        source = _SOURCES.get(settings)
        if source is None:
            source = _SOURCES[settings] = TokenSource(settings)
        return source
