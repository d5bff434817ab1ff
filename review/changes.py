"""How every review operation changes a draft: load it version-checked, then record the event.

Optimistic locking: a draft's `version` rises with every change. An operation passes
`expected_version` (the version the editor saw) and a change on top of someone else's newer one is
refused with ReviewConflict instead of silently overwriting it; a stale object in a long-lived
session and a race caught by SQLAlchemy's version check (StaleDataError) end the same way.
Every change writes a ReviewEvent with the actor, the action, `changes` as
{"field": {"from": old, "to": new}} and a note, so the audit trail answers who, what, when, why.

An approved practice may be corrected (a typo on the published page) without taking it back to
review: the operations that change its text, theme or photos pass `correction=True`, and the
event of such a change carries `"correction": true`, so the history shows what was changed after
approval and by whom. A rejected draft must be reopened first.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.catalogue import status_name
from core.vocabulary import DraftStatus
from review.dates import format_time
from review.errors import ReviewConflict, ReviewError
from review.queries import get_draft, latest_event
from store.models import PracticeDraft, ReviewEvent, utcnow


def conflict(session: Session, draft_id: int, seen: int, current: int | None) -> ReviewConflict:
    """The refusal of a change made on top of a version the editor never saw."""
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


# Actions that change a practice's content; on an approved practice they are corrections.
CORRECTING_ACTIONS = frozenset({"edit", "theme", "photo", "photo_text"})


def load_for_change(
    session: Session,
    draft_id: int,
    expected_version: int | None,
    *,
    editable: bool = True,
    correction: bool = False,
) -> PracticeDraft:
    """The draft, checked against the database's current version before anything changes.

    `editable` refuses a draft that is approved or rejected: it must be reopened first;
    `correction` lets an approved one through (see the module docstring).
    """
    draft = get_draft(session, draft_id)
    current = session.scalar(select(PracticeDraft.version).where(PracticeDraft.id == draft_id))
    seen = draft.version if expected_version is None else expected_version
    if current != seen or current != draft.version:
        raise conflict(session, draft_id, seen, current)
    # Load related rows now: a lazy load later would autoflush half a change and bump `version`
    # twice for one edit.
    _ = (draft.flags, draft.photos, draft.inbound)
    allowed = (DraftStatus.DRAFT, DraftStatus.APPROVED) if correction else (DraftStatus.DRAFT,)
    if editable and draft.status not in allowed:
        raise ReviewError(
            f"Luonnos #{draft_id} on jo {status_name(draft.status, 'fi')}; avaa se ensin "
            f"uudelleen (practices review reopen {draft_id}).",
            f"Draft #{draft_id} is {status_name(draft.status, 'en')}; reopen it first "
            f"(practices review reopen {draft_id}).",
        )
    return draft


def record(
    session: Session,
    draft: PracticeDraft,
    actor: str,
    action: str,
    changes: dict[str, Any],
    note: str,
) -> ReviewEvent:
    """Write the event and flush, turning a lost version race into ReviewConflict."""
    draft.updated_at = utcnow()  # also bumps `version` when only related rows changed
    if draft.status == DraftStatus.APPROVED and action in CORRECTING_ACTIONS:
        changes = {**changes, "correction": True}
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
        raise conflict(session, draft.id, seen, None) from exc
    return event
