"""Getting an authenticated IMAP connection: TLS that is always verified, then the login.

`auth = "password"`: LOGIN, or AUTHENTICATE PLAIN (RFC 4616) for a password that is not ASCII,
which LOGIN cannot carry. `auth = "oauth2"`: the [oauth2] application's token, sent with
OAUTHBEARER (RFC 7628) when the server offers it, else XOAUTH2 (Microsoft's and Google's
older mechanism, all Exchange Online offers). The mechanism is chosen from the capabilities the
server announces before login (`AUTH=...`), read under the same answer guards as any command.

A refused token is answered by the server with a challenge carrying its error (RFC 7628 §3.2.2,
base64 JSON); we send the empty response the RFCs ask for and report the server's status with
what an Exchange administrator usually has to do.
"""

from __future__ import annotations

import base64
import binascii
import logging
import ssl
from collections.abc import Iterable
from typing import TYPE_CHECKING

from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import IMAPClientError, LoginError

from core.config import MailboxSettings
from core.errors import (
    MailboxAuthError,
    MailboxConnectionError,
    MailboxError,
    MailboxTLSError,
    OAuthError,
    OAuthUnavailable,
)
from ingest.imap_guard import GuardedIMAPClient, ServerMisbehaved
from ingest.oauth_tokens import AccessToken, require_role, token_source

if TYPE_CHECKING:
    from ingest.imap_source import ImapSource

log = logging.getLogger(__name__)

OAUTH_MECHANISMS = ("OAUTHBEARER", "XOAUTH2")


def ssl_context(settings: MailboxSettings) -> ssl.SSLContext:
    context = ssl.create_default_context(cafile=settings.ca_file or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def open_client(source: ImapSource) -> GuardedIMAPClient:
    """A connection that has passed the greeting and, when asked, STARTTLS; not logged in."""
    s = source.settings
    timeout = SocketTimeout(connect=s.connect_timeout_seconds, read=s.read_timeout_seconds)
    source.guard.begin(source.limits("the greeting"))
    try:
        client = GuardedIMAPClient(
            s.host,
            guard=source.guard,
            port=s.port,
            ssl=s.security == "tls",
            ssl_context=ssl_context(s) if s.security == "tls" else None,
            timeout=timeout,
        )
        # imapclient sets imaplib's debug level to 5, which formats every response line,
        # literals included: a 7 GB mailbox fetched 10x slower. We log at our own level.
        client._imap.debug = 0
        if s.security == "starttls":
            source.guard.begin(source.limits("STARTTLS"))
            client.starttls(ssl_context(s))
    except ServerMisbehaved as exc:
        raise source.protocol_error(exc) from exc
    except ssl.SSLCertVerificationError as exc:
        raise MailboxTLSError(
            f"mailbox {s.name!r}: the certificate of {s.host}:{s.port} cannot be verified "
            f"({exc.verify_message}); give the CA in ca_file or fix the server certificate"
        ) from exc
    except ssl.SSLError as exc:
        raise MailboxTLSError(_tls_failure(s, exc)) from exc
    except (OSError, IMAPClientError) as exc:
        raise MailboxConnectionError(
            f"mailbox {s.name!r}: cannot connect to {s.host}:{s.port}: {exc}"
        ) from exc
    return client


# What OpenSSL says when the other side answers a TLS hello in plain text (an IMAP greeting).
_PLAIN_TEXT_REPLIES = ("WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "RECORD_LAYER_FAILURE")


def _tls_failure(s: MailboxSettings, exc: ssl.SSLError) -> str:
    """The TLS error in words, with what to change when the port speaks plain IMAP."""
    if s.security == "tls" and str(exc.reason).upper().replace(" ", "_") in _PLAIN_TEXT_REPLIES:
        return (
            f"mailbox {s.name!r}: the server {s.host} does not speak TLS on port {s.port} (it "
            f'answered in plain text): use security = "starttls" for port {s.port}, or port '
            '993 with security = "tls"'
        )
    return f"mailbox {s.name!r}: TLS with {s.host}:{s.port} failed: {exc}"


def oauth_token(settings: MailboxSettings) -> AccessToken:
    """The [oauth2] application's token for IMAP, as a mailbox error when there is none."""
    assert settings.oauth2 is not None  # linked by Settings.checked for auth = "oauth2"
    try:
        token = token_source(settings.oauth2).token()
        require_role(token, "imap", settings.oauth2)
    except OAuthUnavailable as exc:
        raise MailboxConnectionError(f"mailbox {settings.name!r}: {exc}") from exc
    except OAuthError as exc:
        raise MailboxAuthError(f"mailbox {settings.name!r}: {exc}") from exc
    return token


def oauth_mechanism(capabilities: frozenset[str]) -> str | None:
    """OAUTHBEARER when offered (the standard), else XOAUTH2, else None."""
    return next((m for m in OAUTH_MECHANISMS if f"AUTH={m}" in capabilities), None)


def initial_response(mechanism: str, user: str, token: str, host: str, port: int) -> bytes:
    """The client's first SASL message for `mechanism` (RFC 7628 §3.1; XOAUTH2 as Microsoft
    documents it), before imaplib's base64."""
    if mechanism == "OAUTHBEARER":
        authzid = user.replace("=", "=3D").replace(",", "=2C")
        text = f"n,a={authzid},\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01"
    else:
        text = f"user={user}\x01auth=Bearer {token}\x01\x01"
    return text.encode("utf-8")


class _SaslExchange:
    """Sends the initial response once; to the error challenge that may follow it answers
    with the empty response the RFCs require, keeping the server's error to report."""

    def __init__(self, first: bytes) -> None:
        self.first: bytes | None = first
        self.server_error = ""

    def __call__(self, challenge: bytes) -> bytes:
        if self.first is not None:
            first, self.first = self.first, None
            return first
        self.server_error = _decoded(challenge)
        return b""


def _decoded(challenge: bytes) -> str:
    try:
        return base64.b64decode(challenge, validate=True).decode("utf-8", "replace").strip()
    except (binascii.Error, ValueError):
        return challenge.decode("ascii", "replace").strip()


def log_in(
    source: ImapSource, client: GuardedIMAPClient, capabilities: frozenset[str], password: str
) -> AccessToken | None:
    """Authenticate `client` with `password` (read before connecting) or, with
    `auth = "oauth2"`, a token; returns the token used (None for a password login)."""
    s = source.settings
    try:
        token = oauth_token(s) if s.auth == "oauth2" else None
        source.guard.begin(source.limits("AUTHENTICATE" if token else "LOGIN"))
        if token is None:
            if password.isascii():
                client.login(s.username, password)
                source.login_method = "LOGIN"
            else:
                client.plain_login(s.username, password)
                source.login_method = "AUTHENTICATE PLAIN"
            return None
        mechanism = oauth_mechanism(capabilities)
        if mechanism is None:
            raise MailboxAuthError(
                f"mailbox {s.name!r}: {s.host} offers neither AUTH=OAUTHBEARER nor AUTH=XOAUTH2 "
                f'(it offers {_auth_offers(capabilities)}); use auth = "password" for it'
            )
        first = initial_response(mechanism, s.username, token.value, s.host, s.port)
        exchange = _SaslExchange(first)
        try:
            client.sasl_login(mechanism, exchange)
            source.login_method = f"AUTHENTICATE {mechanism}"
        except LoginError as exc:
            raise MailboxAuthError(
                f"mailbox {s.name!r}: the server refused the OAuth 2.0 token for {s.username!r} "
                f"({mechanism}{': ' + exchange.server_error if exchange.server_error else ''}); "
                "in Exchange Online the app's service principal needs FullAccess to this "
                "mailbox (New-ServicePrincipal, Add-MailboxPermission) and IMAP enabled"
            ) from exc
        return token
    except ServerMisbehaved as exc:
        client.shutdown()
        raise source.protocol_error(exc) from exc
    except LoginError as exc:
        source.drop_after_refusal(client)
        raise MailboxAuthError(
            f"mailbox {s.name!r}: the server refused the login of {s.username!r}; "
            "check username and the password in "
            + (f"${s.password_env}" if s.password_env else s.password_file)
        ) from exc
    except MailboxError:
        source.drop_after_refusal(client)
        raise
    except (OSError, IMAPClientError) as exc:
        source.drop_after_refusal(client)
        raise MailboxConnectionError(f"mailbox {s.name!r}: login failed: {exc}") from exc


def _auth_offers(capabilities: frozenset[str]) -> str:
    offers = sorted(c for c in capabilities if c.startswith("AUTH="))
    return " ".join(offers) or "no AUTH= mechanism"


def capability_names(capabilities: Iterable[bytes]) -> frozenset[str]:
    """A CAPABILITY answer as upper-case names ("MOVE", "AUTH=XOAUTH2")."""
    return frozenset(c.decode("ascii", "replace").upper() for c in capabilities)


def drop(client: IMAPClient) -> None:
    """Close a connection mid-response without another word to the server."""
    try:
        client.shutdown()
    except OSError:
        log.debug("connection already closed")


def safe_logout(client: IMAPClient) -> None:
    """LOGOUT, or drop a connection that cannot even say that."""
    try:
        client.logout()
    except (OSError, IMAPClientError, ServerMisbehaved):
        drop(client)
