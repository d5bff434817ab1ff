"""Logging in and out of the console: `/login` (fields `username` and `password`) and `/logout`.

A good login opens a server-side session (`review.accounts`) and sets its token in an HttpOnly,
SameSite=Lax cookie scoped to the console's path (Secure unless `[web] secure_cookies` is off);
logging out deletes the session row, so the cookie is worthless at once even if kept. The login
form has no session yet, so its CSRF token is a double-submit cookie.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from practices.web.context import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    client_address,
    console,
    editor_page,
    forbidden,
    read,
    write,
)
from practices.web.rendering import base_path, console_word, render
from practices.web.security import new_token, tokens_match
from review.accounts import (
    LoginThrottled,
    authenticate,
    close_session,
    open_session,
    session_for,
)


def _cookie_path(request: Request) -> str:
    return base_path(request) or "/"


def _safe_next(value: object) -> str:
    """Where to go after logging in: a path of this console only, never another site."""
    text = value if isinstance(value, str) else ""
    if not text.startswith("/") or text.startswith("//") or "\\" in text:
        return "/drafts"
    return text


def _login_page(
    request: Request, *, error: str = "", username: str = "", status_code: int = 200
) -> Response:
    token = new_token()
    response = render(
        request,
        "login.html",
        {
            "login_token": token,
            "error": error,
            "username": username,
            "next": _safe_next(request.query_params.get("next", "/drafts")),
        },
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_COOKIE,
        token,
        max_age=3600,
        path=_cookie_path(request),
        httponly=True,
        samesite="strict",
        secure=console(request).web.secure_cookies,
    )
    return response


async def login_form(request: Request) -> Response:
    """GET /login: the form; an editor already logged in goes straight to the queue."""
    token = request.cookies.get(SESSION_COOKIE, "")
    logged_in = bool(token) and await read(request, lambda s: session_for(s, token) is not None)
    if logged_in:
        return RedirectResponse(f"{base_path(request)}/drafts", status_code=303)
    return _login_page(request)


async def login(request: Request) -> Response:
    """POST /login: check the login form's token, the throttle, then the password."""
    form = await request.form(max_files=0, max_fields=10)
    if not tokens_match(request.cookies.get(LOGIN_COOKIE, ""), form.get("csrf_token")):
        return forbidden(request, "error_csrf")
    username = str(form.get("username", ""))[:100]
    password = str(form.get("password", ""))[:1000]
    target = _safe_next(form.get("next"))
    address = client_address(request)
    handle = console(request)

    def attempt(session: Session) -> str | None:
        account = authenticate(session, username, password, address, handle.throttle)
        if account is None:
            return None
        return open_session(session, account, address, handle.session_lifetime)

    try:
        token = await write(request, attempt)
    except LoginThrottled as exc:
        message = console_word("login_throttled", "fi", minutes=exc.minutes)
        return _login_page(request, error=message, username=username, status_code=429)
    if token is None:
        message = console_word("login_refused", "fi")
        return _login_page(request, error=message, username=username, status_code=401)
    response = RedirectResponse(base_path(request) + target, status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(handle.session_lifetime.total_seconds()),
        path=_cookie_path(request),
        httponly=True,
        samesite="lax",
        secure=handle.web.secure_cookies,
    )
    response.delete_cookie(LOGIN_COOKIE, path=_cookie_path(request))
    return response


@editor_page
async def logout(request: Request, form: object = None) -> Response:
    """POST /logout: end this login (the session row goes) and forget the cookie."""
    token = request.cookies.get(SESSION_COOKIE, "")
    await write(request, lambda s: close_session(s, token))
    response = RedirectResponse(f"{base_path(request)}/login?out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=_cookie_path(request))
    return response
