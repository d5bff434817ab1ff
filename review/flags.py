"""Flags in review: which ones block approval, dismissing one with a reason, settling by edits.

A flag's severity comes from its code (`core.vocabulary.FLAG_SEVERITY`): informational flags
never stop approval; a blocking one does until an editor dismisses it, saying why. The dismissal
is kept on the flag row (who, when, why) and in the draft's history, so it can be reviewed later;
a flag whose cause an edit removed (the theme set, the missing answer written) is settled and
leaves the draft, the edit's event recording it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from core.catalogue import FLAG_NAMES, flag_name, resolve
from core.vocabulary import FLAG_SEVERITY, MISSING_SECTION_CODES, SECTION_KEYS, FlagCode, Severity
from review.changes import load_for_change, record
from review.errors import InvalidField, ReviewError
from store.models import DraftFlag, PracticeDraft, ReviewEvent, utcnow

# Flags an editor's own change settles: setting the theme, filling the section, choosing a photo.
RESOLVED_BY_FIELD: dict[str, tuple[FlagCode, ...]] = {
    "theme": (FlagCode.THEME_MISSING, FlagCode.THEME_SUGGESTED),
    **{section: (code,) for section, code in MISSING_SECTION_CODES.items()},
    "photo": (FlagCode.NO_PHOTO,),
}


def severity(code: str) -> Severity:
    """How much a flag weighs; a code this version does not know is taken as blocking."""
    try:
        return FLAG_SEVERITY[FlagCode(code)]
    except ValueError:
        return Severity.BLOCKING


def blocking_flags(draft: PracticeDraft) -> list[DraftFlag]:
    """The open flags that stop approval, in the order shown."""
    return [f for f in draft.flags if f.is_open and severity(f.code) is Severity.BLOCKING]


def names(flags: list[DraftFlag], lang: str) -> str:
    """Flags by their short names, for a sentence: "roskapostia, mahdollinen kaksoiskappale"."""
    return ", ".join(flag_name(flag.code, lang) for flag in flags)


def settle_flags(draft: PracticeDraft, fields: list[str]) -> dict[str, Any]:
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


def dismiss(flags: list[DraftFlag], actor: str, reason: str, at: datetime) -> None:
    """Mark `flags` dismissed by `actor` at `at` for `reason`."""
    for flag in flags:
        flag.dismissed_at = at
        flag.dismissed_by = actor
        flag.dismissal_reason = reason


def find_flag(draft: PracticeDraft, wanted: int | str) -> DraftFlag:
    """The draft's flag with id `wanted`, or its flag named by code or name in any language."""
    if isinstance(wanted, int) or wanted.strip().isdigit():
        flag_id = int(wanted)
        found = next((f for f in draft.flags if f.id == flag_id), None)
    else:
        code = resolve(FLAG_NAMES, wanted)
        candidates = [f for f in draft.flags if f.code == code]
        found = next((f for f in candidates if f.is_open), candidates[0] if candidates else None)
    if found is None:
        listed = {lang: names(draft.flags, lang) or "–" for lang in ("fi", "en")}
        raise InvalidField(
            f"Luonnoksella #{draft.id} ei ole huomiota {wanted!r}. Sen huomiot: {listed['fi']}.",
            f"Draft #{draft.id} has no flag {wanted!r}. Its flags: {listed['en']}.",
        )
    return found


def dismiss_flag(
    session: Session,
    draft_id: int,
    flag_id_or_code: int | str,
    reason: str,
    actor: str,
    expected_version: int | None = None,
) -> ReviewEvent:
    """Dismiss one open flag with the editor's reason; refused without a reason or when done.

    The flag is named by its id, its code or its name in any language ("ei kuvaa").
    """
    if not reason.strip():
        raise InvalidField(
            "Kerro, miksi huomio kuitataan (--reason).",
            "Say why the flag is dismissed (--reason).",
        )
    draft = load_for_change(session, draft_id, expected_version)
    flag = find_flag(draft, flag_id_or_code)
    if not flag.is_open:
        raise ReviewError(
            f"Huomio ”{flag_name(flag.code, 'fi')}” on jo kuitattu ({flag.dismissed_by}).",
            f"Flag “{flag_name(flag.code, 'en')}” is already dismissed ({flag.dismissed_by}).",
        )
    dismiss([flag], actor, reason.strip(), utcnow())
    return record(session, draft, actor, "dismiss", {"dismissed_flag": flag.code}, reason.strip())
