"""The console's pages that only read: the queue, a draft, its preview, photos and attachments.

Each view parses the request, calls `review` through one read-only unit of work and renders; no
query is written here. Unknown draft ids answer 404; a filter naming nothing answers the queue
with the refusal's words above it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.catalogue import FLAG_NAMES, STATUSES
from core.vocabulary import THEME_KEYS
from practices.web.context import console, editor_page, read
from practices.web.draft_page import DraftPage, load_draft_page, original_loader
from practices.web.rendering import base_path, render
from practices.web.security import PREVIEW_FRAME_HEADER
from review import operations
from review.errors import DraftNotFound, InvalidField
from review.original import Original
from review.preview import preview_page, site_stylesheet
from review.queue import PER_PAGE, QueueFilters, QueuePage, queue_page
from store.models import Photo, PracticeDraft

# Where the preview's page finds the site's stylesheet (served here: the CSP allows only 'self').
SITE_STYLESHEET = "/preview/site.css"
# Messages a redirect after a successful action may ask the draft page to show.
DONE_MESSAGES = frozenset(
    {"saved", "unchanged", "theme", "dismissed", "photo", "photo_text", "approved", "rejected",
     "reopened"}
)  # fmt: skip


async def home(request: Request) -> Response:
    """`/` leads to the queue."""
    return RedirectResponse(f"{base_path(request)}/drafts", status_code=303)


def _filters(request: Request) -> QueueFilters:
    params = request.query_params
    status = params.get("status")
    return QueueFilters(
        status="draft" if status is None else status.strip()[:40],
        theme=params.get("theme", "").strip()[:60],
        flag=params.get("flag", "").strip()[:60],
        organisation=params.get("organisation", "").strip()[:200],
        month=params.get("month", "").strip()[:7],
        search=params.get("q", "").strip()[:200],
        oldest_first=params.get("sort") == "oldest",
    )


def grouped(number: int) -> str:
    """`number` in groups of three digits with a no-break space between them, as Finnish and
    Swedish write numbers: 1000 -> "1 000"."""
    return f"{number:,}".replace(",", "\u00a0")


def _query_string(filters: QueueFilters, **changes: object) -> str:
    values = {
        "status": filters.status,
        "q": filters.search,
        "theme": filters.theme,
        "flag": filters.flag,
        "organisation": filters.organisation,
        "month": filters.month,
        "sort": "oldest" if filters.oldest_first else "",
    }
    values.update({key: str(value) for key, value in changes.items()})
    kept = {key: value for key, value in values.items() if value or key == "status"}
    return "?" + urlencode(kept)


@editor_page
async def queue(request: Request) -> Response:
    """GET /drafts: counts by status, the filters and one page of drafts, newest first."""
    filters = _filters(request)
    try:
        page_number = int(request.query_params.get("page", "1"))
    except ValueError:
        page_number = 1
    error = ""

    def load(session: Session) -> QueuePage:
        return queue_page(session, filters, page_number, PER_PAGE)

    try:
        result = await read(request, load)
    except InvalidField as exc:
        error = exc.text("fi")
        result = QueuePage(rows=[], total=0, page=1, pages=1, counts={})
    return render(
        request,
        "queue.html",
        queue_context(filters, result, error),
        status_code=400 if error else 200,
    )


def queue_context(filters: QueueFilters, result: QueuePage, error: str = "") -> dict[str, Any]:
    """What queue.html shows: the filters, one page of drafts with its counts, the choices."""
    return {
        "filters": filters,
        "result": result,
        "error": error,
        "statuses": list(STATUSES),
        "themes": list(THEME_KEYS),
        "flags": sorted(FLAG_NAMES),
        "query": lambda **changes: _query_string(filters, **changes),
        "grouped": grouped,
        "filtered": any(
            (filters.theme, filters.flag, filters.organisation, filters.month, filters.search)
        ),
    }


def draft_loader(request: Request) -> Callable[[PracticeDraft], Original]:
    handle = console(request)
    settings = handle.app.settings
    return original_loader(handle.app.blobs, settings.limits.max_parsed_bytes, handle)


async def show_draft_page(
    request: Request, draft_id: int, *, status_code: int = 200, **typed: Any
) -> Response:
    """Render the draft page (also after a refused action, with what the editor typed)."""
    loader = draft_loader(request)

    def load(session: Session) -> DraftPage:
        return load_draft_page(session, draft_id, loader, **typed)

    try:
        page = await read(request, load)
    except DraftNotFound:
        return render(request, "error.html", {"message_key": "error_no_draft"}, status_code=404)
    done = request.query_params.get("done", "")
    return render(
        request,
        "draft.html",
        {"page": page, "draft": page.draft, "done": done if done in DONE_MESSAGES else ""},
        status_code=status_code,
    )


def _draft_id(request: Request) -> int:
    return int(request.path_params["draft_id"])


@editor_page
async def draft(request: Request) -> Response:
    """GET /drafts/{id}: the whole draft, the original beside it, the history below."""
    return await show_draft_page(request, _draft_id(request))


@editor_page
async def preview(request: Request) -> Response:
    """GET /drafts/{id}/preview: the practice as the site will show it, framed by the console."""
    draft_id = _draft_id(request)
    try:
        found = await read(request, lambda s: operations.get_draft(s, draft_id))
    except DraftNotFound:
        return render(request, "error.html", {"message_key": "error_no_draft"}, status_code=404)
    return render(request, "preview.html", {"draft": found})


@editor_page
async def preview_frame(request: Request) -> Response:
    """GET /drafts/{id}/preview/page: the export's page of the practice, photo from here."""
    draft_id = _draft_id(request)
    root = base_path(request)

    def photo_url(photo: Photo) -> str:
        return f"{root}/drafts/{draft_id}/photos/{photo.id}/web"

    def load(session: Session) -> str:
        found = operations.get_draft(session, draft_id)
        return preview_page(found, photo_url, stylesheet_url=f"{root}{SITE_STYLESHEET}")

    try:
        html = await read(request, load)
    except DraftNotFound:
        return render(request, "error.html", {"message_key": "error_no_draft"}, status_code=404)
    return Response(
        html, media_type="text/html; charset=utf-8", headers={PREVIEW_FRAME_HEADER: "1"}
    )


@editor_page
async def site_stylesheet_file(request: Request) -> Response:
    """GET /preview/site.css: the exported site's stylesheet, for the preview's page."""
    return Response(site_stylesheet(), media_type="text/css; charset=utf-8")


@editor_page
async def photo_file(request: Request) -> Response:
    """GET /drafts/{id}/photos/{photo_id}/{web|thumbnail}: a derivative JPEG we made."""
    draft_id, photo_id = _draft_id(request), int(request.path_params["photo_id"])
    kind = request.path_params["kind"]

    def load(session: Session) -> str:
        found = operations.get_draft(session, draft_id)
        photo = next((p for p in found.photos if p.id == photo_id), None)
        if photo is None:
            return ""
        return photo.web_path if kind == "web" else photo.thumbnail_path

    try:
        relative = await read(request, load)
    except DraftNotFound:
        relative = ""
    blobs = console(request).app.blobs
    if not relative:
        return Response(status_code=404)
    try:
        data = blobs.read(relative)
    except OSError:
        return Response(status_code=404)
    media = "image/jpeg" if Path(relative).suffix.lower() in (".jpg", ".jpeg") else "image/png"
    return Response(data, media_type=media, headers={"cache-control": "private, max-age=3600"})
