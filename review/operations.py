"""Every review operation on a draft, in one place for the command line and a web console alike.

Each function takes the caller's `session` first and never commits: the caller wraps one
operation in `with app.sessions.begin() as session:`. Every change is version-checked and writes
an audit event (`review.changes`); flags (`review.flags`) and photos (`review.photos`) have their
own modules, re-exported here so callers need only this one.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from core.catalogue import field_name
from core.config import Settings
from core.vocabulary import DraftStatus
from review.changes import load_for_change, record
from review.errors import ApprovalBlocked, InvalidField, ReviewError
from review.fields import EDITABLE_FIELDS, validate_changes
from review.flags import blocking_flags, dismiss, dismiss_flag, names, settle_flags
from review.notices import queue_published_notice
from review.photos import choose_main_photo, set_photo_text
from review.queries import (
    get_draft,
    history,
    list_drafts,
    month_bounds,
    received_at,
    require_theme,
)
from store.models import ReviewEvent, utcnow

__all__ = [
    "EDITABLE_FIELDS",
    "approve",
    "choose_main_photo",
    "dismiss_flag",
    "edit_fields",
    "get_draft",
    "history",
    "list_drafts",
    "month_bounds",
    "received_at",
    "reject",
    "reopen",
    "set_photo_text",
    "set_theme",
]

REQUIRED_FOR_APPROVAL = ("title", "theme", "what_and_why")


def edit_fields(
    session: Session,
    draft_id: int,
    changes: dict[str, str],
    actor: str,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent | None:
    """Change editable fields; returns the event, or None when nothing actually changed.

    Fields may be named by key or by name ("otsikko"). Edited keys join `draft.edited_fields`,
    which the re-parser never overwrites.
    """
    cleaned = validate_changes(changes)
    draft = load_for_change(session, draft_id, expected_version, correction=True)
    changed: dict[str, Any] = {}
    for field, value in cleaned.items():
        old = getattr(draft, field)
        if old != value:
            changed[field] = {"from": old, "to": value}
            setattr(draft, field, value)
    if not changed:
        return None
    edited = list(changed)
    draft.edited_fields = [
        *draft.edited_fields,
        *(f for f in edited if f not in draft.edited_fields),
    ]
    changed.update(settle_flags(draft, edited))
    return record(session, draft, actor, "edit", changed, note)


def set_theme(
    session: Session,
    draft_id: int,
    theme: str,
    actor: str,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent | None:
    """Set (or confirm a suggested) theme; accepts keys and names in Finnish, Swedish, English."""
    key = require_theme(theme)
    draft = load_for_change(session, draft_id, expected_version, correction=True)
    changed: dict[str, Any] = {}
    if draft.theme != key:
        changed["theme"] = {"from": draft.theme, "to": key}
        draft.theme = key
    if draft.theme_suggested:
        changed["theme_suggested"] = {"from": True, "to": False}
        draft.theme_suggested = False
    changed.update(settle_flags(draft, ["theme"]))
    if not changed:
        return None
    if "theme" not in draft.edited_fields:
        draft.edited_fields = [*draft.edited_fields, "theme"]
    return record(session, draft, actor, "theme", changed, note)


def approve(
    session: Session,
    draft_id: int,
    actor: str,
    force: bool = False,
    note: str = "",
    expected_version: int | None = None,
    settings: Settings | None = None,
) -> ReviewEvent:
    """Approve a draft that has a title, a theme and what_and_why, and no open blocking flag.

    Informational flags never block. `force` with a `note` is the audited override: it dismisses
    the open blocking flags with the note as their reason, and the event lists them.

    With `settings`, the submitter's "published" notice is queued in the same transaction
    when `[publishing] notify_submitter` is on (`review.notices`).
    """
    draft = load_for_change(session, draft_id, expected_version)
    missing = tuple(name for name in REQUIRED_FOR_APPROVAL if not getattr(draft, name))
    if missing:
        raise ApprovalBlocked(
            f"Luonnosta #{draft_id} ei voi hyväksyä, koska siitä puuttuu: "
            f"{', '.join(field_name(m) for m in missing)}. Täydennä puuttuvat tiedot ensin.",
            f"Draft #{draft_id} cannot be approved; it lacks: "
            f"{', '.join(field_name(m, 'en') for m in missing)}. Fill in what is missing first.",
            missing,
        )
    blocking = blocking_flags(draft)
    if blocking and not force:
        raise ApprovalBlocked(
            f"Luonnosta #{draft_id} ei voi hyväksyä: avoimia huomioita, jotka estävät "
            f"hyväksynnän: {names(blocking, 'fi')}. Tarkista ne ja kuittaa kukin syineen "
            f"(practices review dismiss {draft_id} HUOMIO --reason ...), tai ohita ne "
            "perustellen (--force --note ...).",
            f"Draft #{draft_id} cannot be approved: open flags block it: "
            f"{names(blocking, 'en')}. Check them and dismiss each with a reason "
            f"(practices review dismiss {draft_id} FLAG --reason ...), or override them with "
            "a reason (--force --note ...).",
        )
    if blocking and not note.strip():
        raise ApprovalBlocked(
            f"Ohitus tarvitsee perustelun: kerro, miksi {names(blocking, 'fi')} ei estä "
            "hyväksyntää (--note).",
            f"An override needs a reason: say why {names(blocking, 'en')} does not stop the "
            "approval (--note).",
        )
    changed: dict[str, Any] = {"status": {"from": draft.status, "to": DraftStatus.APPROVED.value}}
    if blocking:
        changed["forced"] = True
        changed["open_flags"] = [flag.code for flag in blocking]
        dismiss(blocking, actor, note.strip(), utcnow())
    draft.status = DraftStatus.APPROVED
    draft.approved_at = utcnow()
    event = record(session, draft, actor, "approve", changed, note)
    if settings is not None:
        queue_published_notice(session, settings, draft)
    return event


def reject(
    session: Session,
    draft_id: int,
    actor: str,
    reason: str,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent:
    """Reject a draft with a reason (kept for the audit trail and shown to other editors)."""
    if not reason.strip():
        raise InvalidField(
            "Kerro hylkäyksen syy (--reason).", "Give the reason for rejecting (--reason)."
        )
    draft = load_for_change(session, draft_id, expected_version)
    changed: dict[str, Any] = {
        "status": {"from": draft.status, "to": DraftStatus.REJECTED.value},
        "rejection_reason": {"from": draft.rejection_reason, "to": reason.strip()},
    }
    draft.status = DraftStatus.REJECTED
    draft.rejection_reason = reason.strip()
    return record(session, draft, actor, "reject", changed, note)


def reopen(
    session: Session,
    draft_id: int,
    actor: str,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent:
    """Return an approved or rejected draft to review."""
    draft = load_for_change(session, draft_id, expected_version, editable=False)
    if draft.status == DraftStatus.DRAFT:
        raise ReviewError(
            f"Luonnos #{draft_id} on jo tarkastettavana.", f"Draft #{draft_id} is already open."
        )
    changed: dict[str, Any] = {"status": {"from": draft.status, "to": DraftStatus.DRAFT.value}}
    if draft.approved_at is not None:
        changed["approved_at"] = {"from": draft.approved_at.isoformat(), "to": None}
    draft.status = DraftStatus.DRAFT
    draft.approved_at = None
    return record(session, draft, actor, "reopen", changed, note)
