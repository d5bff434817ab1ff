"""How drafts look to editors and scripts: the draft table and stable JSON shapes.

Text is Finnish by default, Swedish with lang="sv" and English with lang="en"; every word comes
from `core.catalogue`. Submitted text is made visible, not obeyed, where printed (`core.display`).
The JSON shapes are an interface that scripts and monitoring rely on (issue 2): keys are only
ever added, never renamed or removed.

`practices review list --json` prints a list of::

    {"id", "received_at", "organisation", "title", "theme", "flag_count", "status",
     "open_flag_count", "blocking_flag_count"}

`flag_count` counts every flag, dismissed ones too; `open_flag_count` those not dismissed;
`blocking_flag_count` the open ones that stop approval.

`practices review show ID --json` prints::

    {"id", "status", "version", "title", "organisation", "contact_name", "contact_email",
     "theme", "theme_suggested", "theme_reason", "language",
     "sections": {"what_and_why", "achieved", "next_steps", "more_info"},
     "unmatched_text", "quoted_text", "signature", "forwarded_by", "source_document",
     "field_sources", "photo_credit", "rejection_reason",
     "flags": [{"id", "code", "params", "message", "detail", "severity", "open",
                "dismissed_at", "dismissed_by", "dismissal_reason"}],
     "passed_rules": [...],
     "notes": [{"code", "params", "text"}],
     "photos": [{"id", "role", "filename", "image_format", "width", "height", "web_path",
                 "web_width", "web_height", "thumbnail_path", "credit", "alt_text",
                 "reject_reason", "had_location", "sha256"}],
     "message": {"inbound_id", "mailbox", "uid", "message_id", "sender", "subject", "sent_at",
                 "raw_sha256", "raw_path"},
     "created_at", "updated_at", "approved_at", "edited_fields",
     "acknowledgement": {"reference", "decision", "detail", "reply_address", "status",
                         "attempts", "message_id", "sent_at", "last_error"}}

(`acknowledgement` is added by the command from `review.answers.answer_facts`.)

A flag's `code` is its stable FlagCode and `params` its facts; `message` and `detail` are the
catalogue's words for them in the command's language (Finnish unless `--lang`); `severity` is
"informational" or "blocking"; `open` is false once dismissed, and then `dismissed_at`,
`dismissed_by` and `dismissal_reason` say when, by whom and why. `passed_rules` lists the rules
that found nothing (for the audit trail; the text view leaves them out). A note's `text` is
worded like a flag's message.

`practices review history ID --json` prints a list of
``{"id", "at", "actor", "action", "changes", "note"}``.
Times are ISO 8601 in UTC; paths (`raw_path`, `web_path`, ...) are relative to data_dir.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.catalogue import (
    flag_detail,
    flag_message,
    label,
    note_text,
    status_name,
    theme_name,
)
from core.display import visible
from core.vocabulary import SECTION_KEYS
from review.dates import format_date
from review.flags import blocking_flags, severity
from review.queries import received_at
from store.models import DraftFlag, Photo, PracticeDraft, ReviewEvent


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def draft_summary_json(draft: PracticeDraft) -> dict[str, Any]:
    """One row of `review list --json`."""
    return {
        "id": draft.id,
        "received_at": _iso(received_at(draft)),
        "organisation": draft.organisation,
        "title": draft.title,
        "theme": draft.theme,
        "flag_count": len(draft.flags),
        "open_flag_count": sum(1 for flag in draft.flags if flag.is_open),
        "blocking_flag_count": len(blocking_flags(draft)),
        "status": draft.status,
    }


def flag_json(flag: DraftFlag, lang: str = "fi") -> dict[str, Any]:
    """One flag in `review show --json`."""
    return {
        "id": flag.id,
        "code": flag.code,
        "params": dict(flag.params),
        "message": flag_message(flag.code, flag.params, lang),
        "detail": flag_detail(flag.code, flag.params, lang),
        "severity": severity(flag.code).value,
        "open": flag.is_open,
        "dismissed_at": _iso(flag.dismissed_at),
        "dismissed_by": flag.dismissed_by,
        "dismissal_reason": flag.dismissal_reason,
    }


def note_json(note: dict[str, Any], lang: str = "fi") -> dict[str, Any]:
    """One note in `review show --json`."""
    code, params = str(note.get("code", "")), dict(note.get("params", {}))
    return {"code": code, "params": params, "text": note_text(code, params, lang)}


def photo_json(photo: Photo) -> dict[str, Any]:
    """One photo in `review show --json`."""
    return {
        "id": photo.id,
        "role": photo.role,
        "filename": photo.filename,
        "image_format": photo.image_format,
        "width": photo.width,
        "height": photo.height,
        "web_path": photo.web_path,
        "web_width": photo.web_width,
        "web_height": photo.web_height,
        "thumbnail_path": photo.thumbnail_path,
        "credit": photo.credit,
        "alt_text": photo.alt_text,
        "reject_reason": photo.reject_reason,
        "had_location": photo.had_location,
        "sha256": photo.sha256,
    }


def draft_json(draft: PracticeDraft, lang: str = "fi") -> dict[str, Any]:
    """The whole draft, as `review show --json` prints it."""
    inbound = draft.inbound
    return {
        "id": draft.id,
        "status": draft.status,
        "version": draft.version,
        "title": draft.title,
        "organisation": draft.organisation,
        "contact_name": draft.contact_name,
        "contact_email": draft.contact_email,
        "theme": draft.theme,
        "theme_suggested": draft.theme_suggested,
        "theme_reason": draft.theme_reason,
        "language": draft.language,
        "sections": {key: getattr(draft, key) for key in SECTION_KEYS},
        "unmatched_text": draft.unmatched_text,
        "quoted_text": draft.quoted_text,
        "signature": draft.signature,
        "forwarded_by": draft.forwarded_by,
        "source_document": draft.source_document,
        "field_sources": dict(draft.field_sources),
        "photo_credit": draft.photo_credit,
        "rejection_reason": draft.rejection_reason,
        "flags": [flag_json(flag, lang) for flag in draft.flags],
        "passed_rules": list(draft.passed_rules),
        "notes": [note_json(note, lang) for note in draft.notes],
        "photos": [photo_json(p) for p in draft.photos],
        "message": {
            "inbound_id": inbound.id,
            "mailbox": inbound.mailbox,
            "uid": inbound.uid,
            "message_id": inbound.message_id,
            "sender": inbound.sender,
            "subject": inbound.subject,
            "sent_at": _iso(inbound.sent_at),
            "raw_sha256": inbound.raw_sha256,
            "raw_path": inbound.raw_path,
        },
        "created_at": _iso(draft.created_at),
        "updated_at": _iso(draft.updated_at),
        "approved_at": _iso(draft.approved_at),
        "edited_fields": list(draft.edited_fields),
    }


def event_json(event: ReviewEvent) -> dict[str, Any]:
    """One event of `review history --json`."""
    return {
        "id": event.id,
        "at": _iso(event.at),
        "actor": event.actor,
        "action": event.action,
        "changes": event.changes,
        "note": event.note,
    }


def cut(text: str, width: int) -> str:
    """`text` on one line, made visible, and cut to `width` with "…"."""
    flat = " ".join(visible(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _flag_cell(draft: PracticeDraft) -> str:
    """Open flags, with "!" when one of them blocks approval."""
    count = sum(1 for flag in draft.flags if flag.is_open)
    return f"{count}!" if blocking_flags(draft) else str(count)


def draft_table(drafts: list[PracticeDraft], lang: str = "fi") -> str:
    """The `review list` table: id, received, organisation, title, theme, open flags, status.

    A "!" after the number of open flags says that one of them blocks approval.
    """
    if not drafts:
        return label("no_drafts", lang)
    columns = ("id", "received", "organisation", "title", "theme", "flags", "status")
    widths = (5, 10, 24, 40, 24, 7, 10)
    rows = [tuple(label(c, lang) for c in columns)]
    for draft in drafts:
        rows.append(
            (
                str(draft.id),
                format_date(received_at(draft), lang),
                draft.organisation,
                draft.title,
                theme_name(draft.theme, lang) or "–",
                _flag_cell(draft),
                status_name(draft.status, lang),
            )
        )
    lines = [
        "  ".join(cut(cell, w).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"{label('count', lang)}: {len(drafts)}")
    if any(blocking_flags(draft) for draft in drafts):
        lines.append(label("blocking_mark", lang))
    return "\n".join(lines)
