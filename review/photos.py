"""Photos in review: choosing the main photo, and its alt text and credit for publishing.

A photo is named by its id or by its 1-based position as `review show` lists it. The alt text
describes the photo to screen-reader users of the published page (WCAG 2.1, 1.1.1); the credit
is printed beside it. Both are single lines, version-checked and audited like every change.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from review.changes import load_for_change, record
from review.errors import InvalidField
from review.flags import settle_flags
from store.models import Photo, PracticeDraft, ReviewEvent


def _pick(draft: PracticeDraft, index: int | None, photo_id: int | None) -> Photo:
    photos = list(draft.photos)
    if index is not None:
        chosen = photos[index - 1] if 1 <= index <= len(photos) else None
    else:
        chosen = next((p for p in photos if p.id == photo_id), None)
    if chosen is None:
        wanted = f"{index}" if index is not None else f"id {photo_id}"
        raise InvalidField(
            f"Luonnoksella #{draft.id} ei ole kuvaa {wanted} (kuvia {len(photos)}).",
            f"Draft #{draft.id} has no photo {wanted} ({len(photos)} photos).",
        )
    return chosen


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
    draft = load_for_change(session, draft_id, expected_version, correction=True)
    chosen = _pick(draft, index, photo_id)
    if not chosen.web_path:
        raise InvalidField(
            f"Kuvaa {chosen.filename or chosen.id} ei voi käyttää: siitä ei ole verkkoversiota "
            f"({chosen.reject_reason or 'logo tai allekirjoituskuva'}).",
            f"Photo {chosen.filename or chosen.id} cannot be used: it has no web version "
            f"({chosen.reject_reason or 'a logo or signature image'}).",
        )
    previous = next((p for p in draft.photos if p.role == "main"), None)
    if previous is chosen:
        return None
    if previous is not None:
        previous.role = "alternative"
    chosen.role = "main"
    changes: dict[str, Any] = {
        "main_photo": {"from": previous.id if previous else None, "to": chosen.id}
    }
    changes.update(settle_flags(draft, ["photo"]))
    return record(session, draft, actor, "photo", changes, note)


def _one_line(value: str, what_fi: str, what_en: str) -> str:
    text = value.strip()
    if "\n" in text or "\r" in text:
        raise InvalidField(
            f"{what_fi} on yksirivinen; poista rivinvaihdot.",
            f"The {what_en} is a single line; remove the line breaks.",
        )
    return text


def set_photo_text(
    session: Session,
    draft_id: int,
    actor: str,
    *,
    index: int | None = None,
    photo_id: int | None = None,
    alt_text: str | None = None,
    credit: str | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ReviewEvent | None:
    """Set a photo's alt text and/or credit; None leaves one as it is. None when nothing changed.

    The main photo's credit is the draft's `photo_credit` too (what the export prints), so the
    two never disagree.
    """
    if alt_text is None and credit is None:
        raise InvalidField(
            "Anna kuvalle vaihtoehtoinen teksti (--alt) tai kuvaaja (--credit).",
            "Give the photo an alt text (--alt) or a credit (--credit).",
        )
    draft = load_for_change(session, draft_id, expected_version, correction=True)
    photo = _pick(draft, index, photo_id)
    wanted: dict[str, str] = {}
    if alt_text is not None:
        wanted["alt_text"] = _one_line(alt_text, "Vaihtoehtoinen teksti", "alt text")
    if credit is not None:
        wanted["credit"] = _one_line(credit, "Kuvaaja", "credit")
    changes: dict[str, Any] = {}
    for name, value in wanted.items():
        if getattr(photo, name) != value:
            changes[name] = {"from": getattr(photo, name), "to": value}
            setattr(photo, name, value)
    if "credit" in wanted and photo.role == "main" and draft.photo_credit != wanted["credit"]:
        changes["photo_credit"] = {"from": draft.photo_credit, "to": wanted["credit"]}
        draft.photo_credit = wanted["credit"]
    if not changes:
        return None
    return record(session, draft, actor, "photo_text", {"photo": photo.id, **changes}, note)
