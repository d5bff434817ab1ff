"""The console's protections that every response and every form share.

- Headers on every response: a strict Content-Security-Policy (scripts, styles and images only
  from the console itself, no inline script or style, no plugins, forms post only here, the
  console framed by no one), `nosniff`, no referrer leaving the site, no caching of pages that
  show submissions, and HSTS when the request came over HTTPS.
- `Server-Timing: app;dur=…`: the milliseconds the console spent on the request.
- CSRF: every state-changing form carries the login's token (`csrf_token`); a POST without the
  right one is refused with 403 before anything else happens. The login form, which has no
  login yet, uses a double-submit cookie instead.
"""

from __future__ import annotations

import hmac
import secrets
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
# The preview's inner page (the export's HTML) may be framed by the console's own preview.
PREVIEW_FRAME_CSP = CSP.replace("frame-ancestors 'none'", "frame-ancestors 'self'")
PREVIEW_FRAME_HEADER = "x-practices-framed-by-self"

_COMMON = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"
        started = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                framed = PREVIEW_FRAME_HEADER in headers
                if framed:
                    del headers[PREVIEW_FRAME_HEADER]
                headers["content-security-policy"] = PREVIEW_FRAME_CSP if framed else CSP
                headers["x-frame-options"] = "SAMEORIGIN" if framed else "DENY"
                for name, value in _COMMON:
                    headers[name] = value
                if "cache-control" not in headers:
                    headers["cache-control"] = "no-store"
                if https:
                    headers["strict-transport-security"] = "max-age=31536000"
                # The time the console spent on the request, for operators and scripts/bench_web.
                spent = (time.perf_counter() - started) * 1000
                headers["server-timing"] = f"app;dur={spent:.1f}"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def new_token() -> str:
    """A fresh random token (for the login form's double-submit cookie)."""
    return secrets.token_urlsafe(32)


def tokens_match(expected: str, given: object) -> bool:
    """Whether a form's token is the expected one (constant-time; empty never matches)."""
    return (
        bool(expected)
        and isinstance(given, str)
        and hmac.compare_digest(expected.encode(), given.encode())
    )
