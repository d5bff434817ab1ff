"""The console's newsletter: the editions, one edition (its practices in order, its intro, the
approved practices to pick from) and the message to download.

Every form is one `review.editions` call in one unit of work with the editor's account as the
actor; success redirects back (303, so a reload never posts twice), a refusal shows the page
again with the reason. The download renders the edition as `practices newsletter render`
does (`review.newsletter_mail.compose`); a missing `[publishing]` key is said on the page,
naming the key for the operator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.config import Settings
from core.errors import ConfigError
from practices.web.context import console, editor_page, read, write
from practices.web.rendering import base_path, render
from review import editions
from review.dates import local_time
from review.errors import ReviewError
from review.newsletter import month_name
from review.newsletter_mail import compose, file_names, newsletter_sender
from store.models import utcnow

DONE = frozenset({"created", "added", "removed", "moved", "intro"})
DOWNLOADS = {
    "eml": ("message/rfc822", 0),
    "html": ("text/html; charset=utf-8", 1),
    "txt": ("text/plain; charset=utf-8", 2),
}


def _field(form: FormData, name: str, limit: int) -> str:
    value = form.get(name, "")
    return (value if isinstance(value, str) else "")[:limit]


def _number(form: FormData, name: str) -> int:
    text = _field(form, name, 12).strip().lstrip("#")
    return int(text) if text.isdigit() else 0


def _month(request: Request) -> str:
    return str(request.path_params["month"])[:7]


def _page(request: Request, month: str = "") -> str:
    return f"{base_path(request)}/newsletters" + (f"/{month}" if month else "")


def _missing_setting(settings: Settings) -> str:
    """The first `[publishing]` key rendering needs and lacks, named as in the file; or ""."""
    if not settings.publishing.base_url:
        return "publishing.base_url"
    try:
        newsletter_sender(settings)
    except ConfigError as exc:
        return exc.key
    return ""


@dataclass(frozen=True)
class EditionPage:
    """What the edition's page shows."""

    month: str
    intro: str
    entries: list[editions.EditionEntry]
    candidates: list[editions.EditionEntry]


def _load(month: str) -> Callable[[Session], EditionPage]:
    def load(session: Session) -> EditionPage:
        edition = editions.get_edition(session, month)
        return EditionPage(
            edition.month,
            edition.intro,
            editions.entries(session, edition),
            editions.candidates(session, edition),
        )

    return load


def _words() -> dict[str, Any]:
    return {"month_name": month_name}


@editor_page
async def list_page(request: Request, *, error: str = "", status_code: int = 200) -> Response:
    """GET /newsletters: every edition, and the form that starts a new one."""
    found = await read(request, editions.edition_list)
    now = local_time(utcnow())
    suggested = f"{now.year + now.month // 12:04d}-{now.month % 12 + 1:02d}"
    context = {"editions": found, "suggested": suggested, "error": error, **_words()}
    return render(request, "newsletters.html", context, status_code=status_code)


@editor_page
async def create(request: Request, form: FormData) -> Response:
    """POST /newsletters: a new edition for the month given."""
    month, actor = _field(form, "month", 7), str(request.state.editor)
    try:
        created = await write(request, lambda s: editions.new_edition(s, month, actor).month)
    except ReviewError as exc:
        found = await read(request, editions.edition_list)
        context = {"editions": found, "suggested": month, "error": exc.text("fi"), **_words()}
        return render(request, "newsletters.html", context, status_code=400)
    return RedirectResponse(f"{_page(request, created)}?done=created", status_code=303)


async def _edition(request: Request, month: str, **extra: Any) -> Response:
    status_code = int(extra.pop("status_code", 200))
    try:
        page = await read(request, _load(month))
    except ReviewError:
        return render(request, "error.html", {"message_key": "error_no_edition"}, status_code=404)
    done = request.query_params.get("done", "")
    context = {
        "page": page,
        "done": done if done in DONE else "",
        "missing_setting": _missing_setting(console(request).app.settings),
        "error": "",
        **_words(),
        **extra,
    }
    return render(request, "newsletter.html", context, status_code=status_code)


@editor_page
async def edition_page(request: Request) -> Response:
    """GET /newsletters/{month}: the edition's practices, intro, candidates and downloads."""
    return await _edition(request, _month(request))


async def _change(request: Request, done: str, work: Callable[[Session, str], object]) -> Response:
    month, actor = _month(request), str(request.state.editor)
    try:
        await write(request, lambda session: work(session, actor))
    except ReviewError as exc:
        return await _edition(request, month, error=exc.text("fi"), status_code=400)
    return RedirectResponse(f"{_page(request, month)}?done={done}", status_code=303)


@editor_page
async def add(request: Request, form: FormData) -> Response:
    """POST /newsletters/{month}/add: an approved practice at the end."""
    draft_id, month = _number(form, "draft_id"), _month(request)
    return await _change(
        request, "added", lambda s, actor: editions.add_practices(s, month, [draft_id], actor)
    )


@editor_page
async def remove(request: Request, form: FormData) -> Response:
    """POST /newsletters/{month}/remove: a practice out of the edition."""
    draft_id, month = _number(form, "draft_id"), _month(request)
    return await _change(
        request, "removed", lambda s, actor: editions.remove_practices(s, month, [draft_id], actor)
    )


@editor_page
async def move(request: Request, form: FormData) -> Response:
    """POST /newsletters/{month}/move: a practice one place earlier (step -1) or later (1)."""
    draft_id, month = _number(form, "draft_id"), _month(request)
    step = -1 if _field(form, "step", 2) == "-1" else 1
    return await _change(
        request, "moved", lambda s, actor: editions.move_practice(s, month, draft_id, step, actor)
    )


@editor_page
async def intro(request: Request, form: FormData) -> Response:
    """POST /newsletters/{month}/intro: the edition's intro."""
    text, month = _field(form, "intro", 20_000), _month(request)
    return await _change(
        request, "intro", lambda s, actor: editions.set_intro(s, month, text, actor)
    )


@editor_page
async def download(request: Request) -> Response:
    """GET /newsletters/{month}/download/{eml|html|txt}: the rendered message or its parts."""
    month, kind = _month(request), str(request.path_params["kind"])
    if kind not in DOWNLOADS:
        return Response(status_code=404)
    app = console(request).app
    media_type, index = DOWNLOADS[kind]

    def make(session: Session) -> tuple[str, bytes]:
        newsletter, message = compose(session, app.blobs, app.settings, month, utcnow())
        editions.get_edition(session, newsletter.month).rendered_at = utcnow()
        contents = (message.as_bytes(), newsletter.html_alone.encode(), newsletter.text.encode())
        return file_names(newsletter.month)[index], contents[index]

    try:
        name, data = await write(request, make)
    except ConfigError as exc:
        return await _edition(request, month, missing_setting=exc.key, status_code=409)
    except ReviewError as exc:
        return await _edition(request, month, error=exc.text("fi"), status_code=400)
    disposition = f'attachment; filename="{name}"'
    return Response(data, media_type=media_type, headers={"content-disposition": disposition})
