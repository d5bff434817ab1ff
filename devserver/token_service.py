"""A small OAuth 2.0 token service on loopback that answers as Entra ID does, for tests only.

msal talks to it as to login.microsoftonline.com: OpenID discovery at
`https://127.0.0.1:PORT/<tenant>/v2.0/.well-known/openid-configuration` and the client-
credentials grant at `/<tenant>/oauth2/v2.0/token`, over TLS from a throwaway CA. Refusals
carry Entra's AADSTS codes (unknown tenant 90002, unknown app 700016, wrong secret 7000215,
expired secret 7000222). Tokens are short-lived JWTs for Exchange Online (`aud`), with the
application roles the registered client was granted (none: "consent missing").

Dovecot's oauth2 passdb checks each token at `http://127.0.0.1:PORT/introspect` (RFC 7662,
plain HTTP on loopback): active while not expired, with the mailbox the app may open as
`username`. Every token issued and every introspection is recorded for the tests to assert on.

    with TokenService(lifetime_seconds=60) as tokens:
        tokens.register("app-1", secret="s3cret", username="box00001")
"""

from __future__ import annotations

import json
import secrets
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

import jwt

from devserver.tls import write_tls_files

HOST = "127.0.0.1"
EXCHANGE = "https://outlook.office365.com"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@dataclass
class Client:
    """One app registration: its credential, the mailbox it may open, its granted roles."""

    username: str
    secret: str = ""
    certificate_pem: bytes = b""
    roles: tuple[str, ...] = ("IMAP.AccessAsApp", "SMTP.SendAsApp")
    secret_expired: bool = False


@dataclass
class Issued:
    token: str
    client_id: str
    username: str
    expires_at: float


@dataclass
class Records:
    issued: list[Issued] = field(default_factory=list)
    introspected: list[tuple[str, bool]] = field(default_factory=list)  # (token, active)


class TokenService:
    """The token service (HTTPS) and its introspection endpoint (HTTP), both on loopback."""

    def __init__(self, base_dir: Path, tenant: str = "vm.example", lifetime_seconds: float = 3600):
        self.tenant = tenant
        self.lifetime_seconds = lifetime_seconds
        self.clients: dict[str, Client] = {}
        self.records = Records()
        self._lock = threading.Lock()
        tls = write_tls_files(base_dir / "token-tls")
        self.ca_file = tls.ca_file
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls.cert_file, tls.key_file)
        self._https = ThreadingHTTPServer((HOST, 0), _handler(self))
        self._https.socket = context.wrap_socket(self._https.socket, server_side=True)
        self._http = ThreadingHTTPServer((HOST, 0), _handler(self))
        self.authority = f"https://{HOST}:{self._https.server_address[1]}"
        self.introspection_url = f"http://{HOST}:{self._http.server_address[1]}/introspect"
        self._threads = [
            # A short poll interval: shutdown() waits for the loop to look (0.5 s by default).
            threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
            for server in (self._https, self._http)
        ]

    def __enter__(self) -> TokenService:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for server in (self._https, self._http):
            server.shutdown()
            server.server_close()

    def register(self, client_id: str, client: Client) -> None:
        with self._lock:
            self.clients[client_id] = client

    def tokens_for(self, client_id: str) -> list[Issued]:
        with self._lock:
            return [issued for issued in self.records.issued if issued.client_id == client_id]

    # -- the endpoints --------------------------------------------------------------------------

    def discovery(self, tenant: str) -> tuple[int, dict[str, Any]]:
        if tenant != self.tenant:
            return 400, _refusal(
                "invalid_tenant", 90002, f"Tenant '{tenant}' not found. Check to make sure "
                "you have the correct tenant ID and are signing into the correct cloud."
            )  # fmt: skip
        base = f"{self.authority}/{tenant}"
        return 200, {
            "issuer": f"{base}/v2.0",
            "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
        }

    def token(self, tenant: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if tenant != self.tenant:
            return 400, _refusal("invalid_tenant", 90002, f"Tenant '{tenant}' not found.")
        client_id = form.get("client_id", "")
        with self._lock:
            client = self.clients.get(client_id)
        if form.get("grant_type") != "client_credentials":
            return 400, _refusal("unsupported_grant_type", 70003, "Unsupported grant type.")
        if client is None:
            return 400, _refusal(
                "unauthorized_client", 700016, f"Application with identifier '{client_id}' was "
                f"not found in the directory '{tenant}'."
            )  # fmt: skip
        problem = self._credential_problem(client, client_id, tenant, form)
        if problem is not None:
            return 401, problem
        now = time.time()
        claims = {
            "aud": EXCHANGE,
            "iss": f"{self.authority}/{tenant}/v2.0",
            "appid": client_id,
            "tid": tenant,
            "iat": int(now),
            "exp": int(now + self.lifetime_seconds),
            "jti": secrets.token_hex(8),
        }
        if client.roles:
            claims["roles"] = list(client.roles)
        token = jwt.encode(claims, "test-signing-key-not-checked-by-clients", algorithm="HS256")
        with self._lock:
            self.records.issued.append(
                Issued(token, client_id, client.username, now + self.lifetime_seconds)
            )
        return 200, {
            "token_type": "Bearer",
            "expires_in": int(self.lifetime_seconds),
            "ext_expires_in": int(self.lifetime_seconds),
            "access_token": token,
        }

    def _credential_problem(
        self, client: Client, client_id: str, tenant: str, form: dict[str, str]
    ) -> dict[str, Any] | None:
        if form.get("client_assertion_type") == ASSERTION_TYPE:
            try:
                jwt.decode(
                    form.get("client_assertion", ""),
                    _public_key(client.certificate_pem),
                    algorithms=["RS256", "PS256"],
                    audience=f"{self.authority}/{tenant}/oauth2/v2.0/token",
                )
            except (jwt.PyJWTError, ValueError):
                text = "Client assertion contains an invalid signature."
                return _refusal("invalid_client", 700027, text)
            return None
        if client.secret_expired:
            return _refusal(
                "invalid_client", 7000222, f"The provided client secret keys for app "
                f"'{client_id}' are expired."
            )  # fmt: skip
        if not client.secret or form.get("client_secret") != client.secret:
            return _refusal(
                "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret "
                f"being sent in the request is the client secret value, not the client secret "
                f"ID, for a secret added to app '{client_id}'."
            )  # fmt: skip
        return None

    def introspect(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        token = form.get("token", "")
        with self._lock:
            issued = next((i for i in self.records.issued if i.token == token), None)
            active = issued is not None and issued.expires_at > time.time()
            self.records.introspected.append((token, active))
        if not active or issued is None:
            return 200, {"active": False}
        return 200, {"active": True, "username": issued.username, "exp": int(issued.expires_at)}


def _refusal(error: str, code: int, text: str) -> dict[str, Any]:
    return {
        "error": error,
        "error_description": f"AADSTS{code}: {text} Trace ID: {secrets.token_hex(8)}",
        "error_codes": [code],
    }


def _public_key(certificate_pem: bytes) -> Any:
    from cryptography import x509

    return x509.load_pem_x509_certificate(certificate_pem).public_key()


def _handler(service: TokenService) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = self.path.strip("/").split("/")
            if len(parts) == 4 and parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
                self._answer(*service.discovery(parts[0]))
            else:
                self._answer(404, {"error": "not_found"})

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length).decode("utf-8")
            form = {key: values[0] for key, values in parse_qs(body).items()}
            parts = self.path.strip("/").split("/")
            if self.path.startswith("/introspect"):
                self._answer(*service.introspect(form))
            elif len(parts) == 4 and parts[1:] == ["oauth2", "v2.0", "token"]:
                self._answer(*service.token(parts[0], form))
            else:
                self._answer(404, {"error": "not_found"})

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet: the records are what tests look at

    return Handler
