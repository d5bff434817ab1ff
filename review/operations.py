"""Every review operation on a draft, in one place for the command line and a web console alike.

Each function takes the caller's `session` first and never commits: the caller wraps one
operation in `with app.sessions.begin() as session:`. Every change writes a ReviewEvent with the
actor, the action, `changes` as {"field": {"from": old, "to": new}} and a note, so the audit
trail answers who changed what, when and why.

Optimistic locking: a draft's `version` rises with every change. Pass `expected_version` (the
version the editor saw) and a change on top of someone else's newer one is refused with
ReviewConflict instead of silently overwriting it; a stale object in a long-lived session and a
race caught by SQLAlchemy's version check (StaleDataError) end the same way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.vocabulary import SECTION_KEYS, DraftStatus, FlagCode
from review.errors import ApprovalBlocked, InvalidField, ReviewConflict, ReviewError
from review.fields import EDITABLE_FIELDS, validate_changes
from review.queries import (
    get_draft,
    history,
    latest_event,
    list_drafts,
    month_bounds,
    received_at,
    require_theme,
)
from review.vocabulary import field_name, format_time
from store.models import PracticeDraft, ReviewEvent, utcnow

__all__ = [
    "EDITABLE_FIELDS",
    "approve",
    "choose_main_photo",
    "edit_fields",
    "get_draft",
    "history",
    "list_drafts",
    "month_bounds",
    "received_at",
    "reject",
    "reopen",
    "set_theme",
]

REQUIRED_FOR_APPROVAL = ("title", "theme", "what_and_why")
# Flags an editor's own change settles: setting the theme, or filling the missing section.
RESOLVED_BY_FIELD = {
    "theme": (FlagCode.THEME_MISSING, FlagCode.THEME_SUGGESTED),
    "what_and_why": (FlagCode.MISSING_WHAT_AND_WHY,),
    "achieved": (FlagCode.MISSING_ACHIEVED,),
    "next_steps": (FlagCode.MISSING_NEXT_STEPS,),
    "more_info": (FlagCode.MISSING_MORE_INFO,),
    "photo": (FlagCode.NO_PHOTO,),
}


def _conflict(session: Session, draft_id: int, seen: int, current: int | None) -> ReviewConflict:
    event = latest_event(session, draft_id) if current is not None else None
    if event is not None:
        who_fi = f" ({event.actor}, {format_time(event.at, 'fi')})"
        who_en = f" ({event.actor}, {format_time(event.at, 'en')})"
    else:
        who_fi = who_en = ""
    return ReviewConflict(
        f"Toinen toimittaja muutti luonnosta #{draft_id}{who_fi} sen jälkeen, kun avasit sen "
        f"(versio {seen} → {current if current is not None else '?'}). Muutoksiasi ei "
        "tallennettu. Lataa luonnos uudelleen ja tee muutokset sen pohjalta.",
        f"Another editor changed draft #{draft_id}{who_en} after you opened it "
        f"(version {seen} → {current if current is not None else '?'}). Your changes were not "
        "saved. Reload the draft and make them again.",
    )


def _load_for_change(
    session: Session, draft_id: int, expected_version: int | None, *, editable: bool = True
) -> PracticeDraft:
    """The draft, checked against the database's current version before anything changes."""
    draft = get_draft(session, draft_id)
    current = session.scalar(select(PracticeDraft.version).where(PracticeDraft.id == draft_id))
    seen = draft.version if expected_version is None else expected_version
    if current != seen or current != draft.version:
        raise _conflict(session, draft_id, seen, current)
    # Load related rows now: a lazy load later would autoflush half a change and bump `version`
    # twice for one edit.
    _ = (draft.flags, draft.photos, draft.inbound)
    if editable and draft.status != DraftStatus.DRAFT:
        raise ReviewError(
            f"Luonnos #{draft_id} on tilassa {draft.status}; avaa se ensin uudelleen "
            f"(practices review reopen {draft_id}).",
            f"Draft #{draft_id} is {draft.status}; reopen it first "
            f"(practices review reopen {draft_id}).",
        )
    return draft


def _resolve_flags(draft: PracticeDraft, fields: list[str]) -> dict[str, Any]:
    """Drop the flags the editor's change settled; returns the change record, or {}."""
    settled = {
        code
        for name in fields
        if name not in SECTION_KEYS or getattr(draft, name)
        for code in RESOLVED_BY_FIELD.get(name, ())
    }
    before = [flag.code for flag in draft.flags]
    draft.flags = [flag for flag in draft.flags if flag.code not in settled]
    after = [flag.code for flag in draft.flags]
    return {"flags": {"from": before, "to": after}} if before != after else {}


def _record(
    session: Session,
    draft: PracticeDraft,
    actor: str,
    action: str,
    changes: dict[str, Any],
    note: str,
) -> ReviewEvent:
    """Write the event and flush, turning a lost version race into ReviewConflict."""
    draft.updated_at = utcnow()  # also bumps `version` when only related rows changed
    event = ReviewEvent(
        draft_id=draft.id,
        inbound_id=draft.inbound_id,
        actor=actor,
        action=action,
        changes=changes,
        note=note,
        at=utcnow(),
    )
    session.add(event)
    seen = draft.version
    try:
        session.flush()
    except StaleDataError as exc:
        raise _conflict(session, draft.id, seen, None) from exc
    return event


def edit_fields(
    session: Session,
    draft_id: int,
    changes: dict[str, str],
    actor: str,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent | None:
    """Change editable fields; returns the event, or None when nothing actually changed.

    Edited names join `draft.edited_fields`, which the re-parser never overwrites.
    """
    cleaned = validate_changes(changes)
    draft = _load_for_change(session, draft_id, expected_version)
    record: dict[str, Any] = {}
    for field, value in cleaned.items():
        old = getattr(draft, field)
        if old != value:
            record[field] = {"from": old, "to": value}
            setattr(draft, field, value)
    if not record:
        return None
    edited = list(record)
    draft.edited_fields = [
        *draft.edited_fields,
        *(f for f in edited if f not in draft.edited_fields),
    ]
    record.update(_resolve_flags(draft, edited))
    return _record(session, draft, actor, "edit", record, note)


def set_theme(
    session: Session,
    draft_id: int,
    theme: str,
    actor: str,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent | None:
    """Set (or confirm a suggested) theme; accepts keys and Finnish or English names."""
    key = require_theme(theme)
    draft = _load_for_change(session, draft_id, expected_version)
    record: dict[str, Any] = {}
    if draft.theme != key:
        record["theme"] = {"from": draft.theme, "to": key}
        draft.theme = key
    if draft.theme_suggested:
        record["theme_suggested"] = {"from": True, "to": False}
        draft.theme_suggested = False
    record.update(_resolve_flags(draft, ["theme"]))
    if not record:
        return None
    if "theme" not in draft.edited_fields:
        draft.edited_fields = [*draft.edited_fields, "theme"]
    return _record(session, draft, actor, "theme", record, note)


def choose_main_photo(
    session: Session,
    draft_id: int,
    actor: str,
    *,
    photo_id: int | None = None,
    index: int | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent | None:
    """Make one photo the main photo, by its id or its 1-based position as `show` lists it."""
    draft = _load_for_change(session, draft_id, expected_version)
    photos = list(draft.photos)
    if index is not None:
        chosen = photos[index - 1] if 1 <= index <= len(photos) else None
    else:
        chosen = next((p for p in photos if p.id == photo_id), None)
    if chosen is None:
        wanted = f"{index}" if index is not None else f"id {photo_id}"
        raise InvalidField(
            f"Luonnoksella #{draft_id} ei ole kuvaa {wanted} (kuvia {len(photos)}).",
            f"Draft #{draft_id} has no photo {wanted} ({len(photos)} photos).",
        )
    if not chosen.web_path:
        raise InvalidField(
            f"Kuvaa {chosen.filename or chosen.id} ei voi käyttää: siitä ei ole verkkoversiota "
            f"({chosen.reject_reason or chosen.role}).",
            f"Photo {chosen.filename or chosen.id} cannot be used: it has no web version "
            f"({chosen.reject_reason or chosen.role}).",
        )
    previous = next((p for p in photos if p.role == "main"), None)
    if previous is chosen:
        return None
    if previous is not None:
        previous.role = "alternative"
    chosen.role = "main"
    record: dict[str, Any] = {
        "main_photo": {"from": previous.id if previous else None, "to": chosen.id}
    }
    record.update(_resolve_flags(draft, ["photo"]))
    return _record(session, draft, actor, "photo", record, note)


def approve(
    session: Session,
    draft_id: int,
    actor: str,
    force: bool = False,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent:
    """Approve a draft that has a title, a theme and what_and_why; open flags need `force`."""
    draft = _load_for_change(session, draft_id, expected_version)
    missing = tuple(name for name in REQUIRED_FOR_APPROVAL if not getattr(draft, name))
    if missing:
        raise ApprovalBlocked(
            f"Luonnosta #{draft_id} ei voi hyväksyä, koska siitä puuttuu: "
            f"{', '.join(field_name(m) for m in missing)}. Täydennä puuttuvat tiedot ensin.",
            f"Draft #{draft_id} cannot be approved; it lacks: "
            f"{', '.join(field_name(m, 'en') for m in missing)}. Fill in what is missing first.",
            missing,
        )
    open_flags = [flag.code for flag in draft.flags]
    if open_flags and not force:
        raise ApprovalBlocked(
            f"Luonnoksella #{draft_id} on avoimia huomioita ({', '.join(open_flags)}). "
            "Tarkista ne; jos luonnos on silti valmis, hyväksy pakottaen (--force).",
            f"Draft #{draft_id} has open flags ({', '.join(open_flags)}). Check them; if the "
            "draft is ready anyway, approve with force (--force).",
        )
    record: dict[str, Any] = {"status": {"from": draft.status, "to": DraftStatus.APPROVED.value}}
    if open_flags:
        record["forced"] = True
        record["open_flags"] = open_flags
    draft.status = DraftStatus.APPROVED
    draft.approved_at = utcnow()
    return _record(session, draft, actor, "approve", record, note)


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
    draft = _load_for_change(session, draft_id, expected_version)
    record: dict[str, Any] = {
        "status": {"from": draft.status, "to": DraftStatus.REJECTED.value},
        "rejection_reason": {"from": draft.rejection_reason, "to": reason.strip()},
    }
    draft.status = DraftStatus.REJECTED
    draft.rejection_reason = reason.strip()
    return _record(session, draft, actor, "reject", record, note)


def reopen(
    session: Session,
    draft_id: int,
    actor: str,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent:
    """Return an approved or rejected draft to review."""
    draft = _load_for_change(session, draft_id, expected_version, editable=False)
    if draft.status == DraftStatus.DRAFT:
        raise ReviewError(
            f"Luonnos #{draft_id} on jo tarkastettavana.", f"Draft #{draft_id} is already open."
        )
    record: dict[str, Any] = {"status": {"from": draft.status, "to": DraftStatus.DRAFT.value}}
    if draft.approved_at is not None:
        record["approved_at"] = {"from": draft.approved_at.isoformat(), "to": None}
    draft.status = DraftStatus.DRAFT
    draft.approved_at = None
    return _record(session, draft, actor, "reopen", record, note)
