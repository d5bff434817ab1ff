"""The console's forms that change a draft: save, theme, dismiss a flag, photos, approve,
reject, reopen; and downloading an attachment of the original message.

Each action is one `review.operations` call (or two, for the main form's text and theme) in one
unit of work, with the version the editor's page showed, and the editor's account name as the
actor of the audit trail. Success redirects back to the draft (303, so a reload never posts
twice). A refusal renders the draft page again with the reason and with everything the editor
typed still in its form; a change on top of someone else's newer version (ReviewConflict) shows
both texts side by side (409), and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.vocabulary import SECTION_KEYS
from practices.web.context import console, editor_page, read, write
from practices.web.draft_page import TEXT_FIELDS
from practices.web.pages import show_draft_page
from practices.web.rendering import base_path
from review import operations
from review.errors import DraftNotFound, ReviewConflict, ReviewError
from review.original import attachment

_MULTILINE = frozenset(SECTION_KEYS)


def _text(form: FormData, name: str, limit: int = 100_000) -> str:
    value = form.get(name, "")
    return (value if isinstance(value, str) else "")[:limit]


def _version(form: FormData) -> int | None:
    text = _text(form, "version", 20)
    return int(text) if text.isdigit() else None


def _done(request: Request, draft_id: int, key: str, anchor: str = "") -> Response:
    target = f"{base_path(request)}/drafts/{draft_id}?done={key}"
    return RedirectResponse(target + (f"#{anchor}" if anchor else ""), status_code=303)


async def _refused(request: Request, draft_id: int, exc: ReviewError, **typed: Any) -> Response:
    status = 409 if isinstance(exc, ReviewConflict) else 400
    return await show_draft_page(
        request, draft_id, status_code=status, error=exc.text("fi"), **typed
    )


def _draft_id(request: Request) -> int:
    return int(request.path_params["draft_id"])


def _editor(request: Request) -> str:
    return str(request.state.editor)


@editor_page
async def save(request: Request, form: FormData) -> Response:
    """POST /drafts/{id}/edit: the text fields and the theme, as one change of the editor's."""
    draft_id, actor, version = _draft_id(request), _editor(request), _version(form)
    typed = {key: _text(form, key) for key in TEXT_FIELDS if key in form}
    base = {key: _text(form, f"base_{key}") for key in TEXT_FIELDS if f"base_{key}" in form}
    theme, base_theme = _text(form, "theme", 60), _text(form, "base_theme", 60)
    changes = {
        key: value for key, value in typed.items() if _normal(value) != _normal(base.get(key, ""))
    }

    def apply(session: Session) -> bool:
        changed = False
        if changes:
            event = operations.edit_fields(
                session, draft_id, changes, actor, expected_version=version
            )
            changed = event is not None
        if theme and theme != base_theme:
            expected = None if changed else version
            event = operations.set_theme(session, draft_id, theme, actor, expected_version=expected)
            changed = changed or event is not None
        return changed

    try:
        changed = await write(request, apply)
    except DraftNotFound:
        return Response(status_code=404)
    except ReviewError as exc:
        return await _refused(
            request, draft_id, exc, typed=typed, typed_base=base, typed_theme=theme or None
        )
    return _done(request, draft_id, "saved" if changed else "unchanged", "muokkaus")


def _normal(text: str) -> str:
    return text.replace("\r\n", "\n").strip()


async def _simple(
    request: Request,
    form: FormData,
    operation: Callable[..., object],
    done: str,
    anchor: str = "",
    *,
    kept: dict[str, str] | None = None,
    **arguments: Any,
) -> Response:
    """`operation(session, draft_id, actor=editor, expected_version=version, **arguments)`, in
    one unit of work; the draft page again, with `kept` still in its form, when refused."""
    draft_id, actor, version = _draft_id(request), _editor(request), _version(form)
    try:
        await write(
            request,
            lambda s: operation(s, draft_id, actor=actor, expected_version=version, **arguments),
        )
    except DraftNotFound:
        return Response(status_code=404)
    except ReviewError as exc:
        return await _refused(request, draft_id, exc, kept=kept or {})
    return _done(request, draft_id, done, anchor)


@editor_page
async def confirm_theme(request: Request, form: FormData) -> Response:
    """POST /drafts/{id}/theme: accept the suggested theme as it is."""
    theme = _text(form, "theme", 60)
    return await _simple(request, form, operations.set_theme, "theme", "muokkaus", theme=theme)


@editor_page
async def dismiss(request: Request, form: FormData) -> Response:
    """POST /drafts/{id}/flags/{flag_id}/dismiss: dismiss an open flag, saying why."""
    reason, flag_id = _text(form, "reason", 2000), int(request.path_params["flag_id"])
    return await _simple(
        request,
        form,
        operations.dismiss_flag,
        "dismissed",
        "huomiot",
        kept={f"reason_{flag_id}": reason},
        flag_id_or_code=flag_id,
        reason=reason,
    )


@editor_page
async def main_photo(request: Request, form: FormData) -> Response:
    """POST /drafts/{id}/photos/main: make the chosen photo the main photo."""
    chosen = _text(form, "photo_id", 20)
    photo_id = int(chosen) if chosen.isdigit() else -1
    return await _simple(
        request, form, operations.choose_main_photo, "photo", "kuvat", photo_id=photo_id
    )


@editor_page
async def photo_text(request: Request, form: FormData) -> Response:
    """POST /drafts/{id}/photos/{photo_id}/text: the photo's alt text and credit."""
    photo_id = int(request.path_params["photo_id"])
    alt, credit = _text(form, "alt_text", 1000), _text(form, "credit", 300)
    return await _simple(
        request,
        form,
        operations.set_photo_text,
        "photo_text",
        f"kuva-{photo_id}",
        kept={f"alt_{photo_id}": alt, f"credit_{photo_id}": credit},
        photo_id=photo_id,
        alt_text=alt,
        credit=credit,
    )


@editor_page
async def approve(request: Request, form: FormData) -> Response:
    """POST /drafts/{id}/approve."""
    return await _simple(request, form, operations.approve, "approved")


@editor_page
async def reject(request: Request, form: FormData) -> Response:
    """POST /drafts/{id}/reject: with the reason, kept for other editors and the audit trail."""
    reason = _text(form, "reason", 2000)
    return await _simple(
        request, form, operations.reject, "rejected", kept={"reject_reason": reason}, reason=reason
    )


@editor_page
async def reopen(request: Request, form: FormData) -> Response:
    """POST /drafts/{id}/reopen: back to review."""
    return await _simple(request, form, operations.reopen, "reopened")


@editor_page
async def download_attachment(request: Request) -> Response:
    """GET /drafts/{id}/attachments/{n}: a file of the original, only ever as a download."""
    draft_id, number = _draft_id(request), int(request.path_params["number"])
    blobs = console(request).app.blobs

    def load(session: Session) -> tuple[str, bytes] | None:
        found = operations.get_draft(session, draft_id)
        try:
            return attachment(blobs, found.inbound, number)
        except (LookupError, OSError):
            return None

    try:
        found = await read(request, load)
    except DraftNotFound:
        found = None
    if found is None:
        return Response(status_code=404)
    filename, data = found
    return Response(
        data,
        media_type="application/octet-stream",
        headers={"content-disposition": _disposition(filename or f"liite-{number}")},
    )


def _disposition(filename: str) -> str:
    """`attachment` with the name as RFC 6266 gives it: quoted ASCII and percent-encoded UTF-8."""
    ascii_name = "".join(c if " " <= c <= "~" and c not in '"\\' else "_" for c in filename)
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename, safe='')}"
