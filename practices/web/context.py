"""What every console view shares: the app handle, database units of work off the event loop,
and the login check with CSRF that guards every page and every form.

Views are thin: a view reads the request, calls `review` operations through `read`/`write` (each
one unit of work in a worker thread, so a slow query never stalls other editors' requests) and
renders. `editor_page` wraps a view: without a live login it redirects to /login (a POST gets
403); a POST whose form lacks the login's CSRF token is refused with 403 before the view runs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from practices.web.rendering import base_path, render
from practices.web.security import tokens_match
from review.accounts import SEEN_EVERY, Throttle, session_for
from review.original import Original
from store.app import App
from store.models import utcnow

T = TypeVar("T")
SESSION_COOKIE = "practices_session"
LOGIN_COOKIE = "practices_login"
ORIGINALS_KEPT = 64


@dataclass
class Console:
    """The console's handle on the application, made once when the server starts."""

    app: App
    # Parsed original messages by raw SHA-256: parsing a message with photos costs more than
    # the rest of a draft page, and an archived message never changes.
    originals: dict[str, Original] = field(default_factory=dict)

    @property
    def web(self) -> Any:
        return self.app.settings.web

    @property
    def throttle(self) -> Throttle:
        return Throttle(
            per_account=self.web.max_failed_logins_per_account,
            per_address=self.web.max_failed_logins_per_address,
            window=timedelta(minutes=self.web.login_window_minutes),
        )

    @property
    def session_lifetime(self) -> timedelta:
        return timedelta(hours=self.web.session_hours)

    def remember_original(self, key: str, original: Original) -> None:
        if len(self.originals) >= ORIGINALS_KEPT:
            self.originals.pop(next(iter(self.originals)))
        self.originals[key] = original


def console(request: Request) -> Console:
    """The Console the app was made with."""
    found: Console = request.app.state.console
    return found


async def read(request: Request, work: Callable[[Session], T]) -> T:
    """Run `work` in a read-only unit of work, off the event loop."""
    sessions = console(request).app.readers

    def run() -> T:
        with sessions() as session:
            return work(session)

    return await run_in_threadpool(run)


async def write(request: Request, work: Callable[[Session], T]) -> T:
    """Run `work` in one unit of work that commits when it returns and rolls back if it raises."""
    sessions = console(request).app.sessions

    def run() -> T:
        with sessions.begin() as session:
            return work(session)

    return await run_in_threadpool(run)


def client_address(request: Request) -> str:
    """The editor's address as throttling counts it: the peer uvicorn reports, which is the
    forwarded one only when the proxy is in `[web] trusted_proxies`."""
    return (request.client.host if request.client else "unknown")[:64]


def login_redirect(request: Request) -> RedirectResponse:
    """To the login page, coming back here afterwards."""
    here = request.url.path.removeprefix(base_path(request)) or "/"
    if request.url.query:
        here += "?" + request.url.query
    return RedirectResponse(f"{base_path(request)}/login?next={quote(here)}", status_code=303)


def forbidden(request: Request, reason_key: str) -> Response:
    """403 with a page that says what happened and what to do."""
    return render(request, "error.html", {"message_key": reason_key}, status_code=403)


View = Callable[..., Awaitable[Response]]


def editor_page(view: View) -> View:
    """Require a live login; for POST also the CSRF token. The view gets the form as `form`."""

    @wraps(view)
    async def guarded(request: Request) -> Response:
        token = request.cookies.get(SESSION_COOKIE, "")
        login = await read(request, lambda s: _login_facts(s, token))
        form: FormData | None = None
        if request.method == "POST":
            form = await request.form(max_files=0, max_fields=100)
            if login is None:
                return forbidden(request, "error_logged_out")
            if not tokens_match(login["csrf_token"], form.get("csrf_token")):
                return forbidden(request, "error_csrf")
        elif login is None:
            return login_redirect(request)
        assert login is not None
        if utcnow() - login["last_seen_at"] > SEEN_EVERY:
            await write(request, lambda s: session_for(s, token))
        request.state.editor = login["name"]
        request.state.csrf_token = login["csrf_token"]
        if form is not None:
            return await view(request, form=form)
        return await view(request)

    return guarded


def _login_facts(session: Session, token: str) -> dict[str, Any] | None:
    found = session_for(session, token)
    if found is None:
        return None
    return {
        "name": found.account.name,
        "csrf_token": found.csrf_token,
        "last_seen_at": found.last_seen_at,
    }
