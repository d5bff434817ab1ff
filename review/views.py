"""The text views of one draft (`review show`) and of its history (`review history`).

Everything an editor needs to judge a draft fits on one screen or two: the fields under the
published questions, the open flags with what they mean for approval, the dismissed ones with
who and why, notes, the photos with their files and texts, and where the original message lies
so nothing has to be taken on trust. Every word comes from `core.catalogue`, in the editor's
language; no internal code is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.catalogue import (
    LANGUAGE_NAMES,
    PHOTO_ROLES,
    PURGED_PARTS,
    action_name,
    change_name,
    field_name,
    flag_detail,
    flag_message,
    flag_name,
    label,
    note_text,
    section_heading,
    severity_name,
    status_name,
    theme_name,
    theme_reason_text,
    word,
)
from core.vocabulary import SECTION_KEYS
from review.dates import format_time
from review.flags import severity
from review.queries import received_at
from store.models import DraftFlag, Photo, PracticeDraft, ReviewEvent

QUOTED_LINES_SHOWN = 8


def _block(text: str, lang: str, limit: int | None = None) -> list[str]:
    if not text.strip():
        return [label("empty", lang)]
    lines = text.rstrip().splitlines()
    if limit is not None and len(lines) > limit:
        hidden = len(lines) - limit
        return [*lines[:limit], f"(… {hidden} {label('more_lines', lang)})"]
    return lines


def _photo_lines(number: int, photo: Photo, data_dir: Path, lang: str) -> list[str]:
    role = word(PHOTO_ROLES, photo.role, lang)
    size = f"{photo.width}×{photo.height}" if photo.width else "?"
    head = f"  {number}. [{role}] {photo.filename or '-'}  {size} {photo.image_format}".rstrip()
    lines = [head + f"  (id {photo.id})"]
    if photo.web_path:
        web = f"{photo.web_width}×{photo.web_height}"
        lines.append(f"     {label('web', lang)} {web}: {data_dir / photo.web_path}")
    if photo.thumbnail_path:
        lines.append(f"     {label('thumbnail', lang)}: {data_dir / photo.thumbnail_path}")
    if photo.alt_text:
        lines.append(f"     {label('alt_text', lang)}: {photo.alt_text}")
    elif photo.web_path:
        lines.append(f"     {label('no_alt_text', lang)}")
    if photo.credit:
        lines.append(f"     {label('photo_credit', lang)}: {photo.credit}")
    if photo.reject_reason:
        lines.append(f"     {word(PHOTO_ROLES, 'rejected', lang)}: {photo.reject_reason}")
    if photo.had_location:
        lines.append(f"     {label('location_removed', lang)}")
    return lines


def _flag_lines(flags: list[DraftFlag], lang: str) -> list[str]:
    """Open flags with what they mean for approval; then the dismissed ones, with who and why."""
    open_flags = [flag for flag in flags if flag.is_open]
    lines = [f"{label('open_flags', lang)} ({len(open_flags)}):"]
    if not open_flags:
        lines.append(f"  {label('no_flags', lang)}")
    for flag in open_flags:
        detail = flag_detail(flag.code, flag.params, lang)
        text = flag_message(flag.code, flag.params, lang) + (f" ({detail})" if detail else "")
        lines.append(f"  - [{severity_name(severity(flag.code), lang)}] {text}")
    dismissed = [flag for flag in flags if not flag.is_open]
    if dismissed:
        lines.append(f"{label('dismissed_flags', lang)} ({len(dismissed)}):")
    for flag in dismissed:
        who = label(
            "dismissed_by",
            lang,
            actor=flag.dismissed_by,
            at=format_time(flag.dismissed_at, lang),
            reason=flag.dismissal_reason,
        )
        lines.append(f"  - {flag_name(flag.code, lang)} – {who}")
    return lines


def _fields(draft: PracticeDraft, lang: str) -> list[tuple[str, str]]:
    theme = theme_name(draft.theme, lang) or label("no_theme", lang)
    if draft.theme and draft.theme_suggested:
        reason = theme_reason_text(draft.theme_reason, lang) or "-"
        theme += f" ({label('suggested', lang)}: {reason})"
    contact = draft.contact_name
    if draft.contact_email:
        contact = f"{contact} <{draft.contact_email}>".strip()
    return [
        (field_name("title", lang), draft.title),
        (label("organisation", lang), draft.organisation),
        (label("contact", lang), contact),
        (label("theme", lang), theme),
        (label("language", lang), word(LANGUAGE_NAMES, draft.language, lang)),
        (label("photo_credit", lang), draft.photo_credit),
        (label("received", lang), format_time(received_at(draft), lang)),
        (label("forwarded_by", lang), draft.forwarded_by),
        (label("source_document", lang), draft.source_document),
        (label("approved_at", lang), format_time(draft.approved_at, lang)),
        (label("rejection_reason", lang), draft.rejection_reason),
        (
            label("edited_fields", lang),
            ", ".join(change_name(f, lang) for f in draft.edited_fields),
        ),
    ]


def show_text(draft: PracticeDraft, data_dir: Path, lang: str = "fi") -> str:
    """Every field of a draft under its heading, then flags, notes, photos and the original."""
    status = f"{label('status', lang).capitalize()}: {status_name(draft.status, lang)}"
    out = [f"#{draft.id}  {draft.title}", f"{status} · {label('version', lang)} {draft.version}"]
    pairs = _fields(draft, lang)
    width = max(len(name) for name, _ in pairs) + 2
    out += [f"{(name + ':').ljust(width)}{value}" for name, value in pairs if value]
    out = out[:2] + [line[0].upper() + line[1:] for line in out[2:]]
    for key in SECTION_KEYS:
        out += ["", f"== {section_heading(key, lang)} ==", *_block(getattr(draft, key), lang)]
    for name, text, limit in (
        ("unmatched", draft.unmatched_text, None),
        ("signature", draft.signature, None),
        ("quoted", draft.quoted_text, QUOTED_LINES_SHOWN),
    ):
        if text.strip():
            out += ["", f"-- {label(name, lang)} --", *_block(text, lang, limit)]
    out += ["", *_flag_lines(list(draft.flags), lang)]
    if draft.notes:
        out += ["", f"{label('notes', lang)} ({len(draft.notes)}):"]
        for note in draft.notes:
            text = note_text(str(note.get("code", "")), note.get("params", {}), lang)
            out.append(f"  - {text}")
    out += ["", f"{label('photos', lang)} ({len(draft.photos)}):"]
    if not draft.photos:
        out.append(f"  {label('no_photos', lang)}")
    for number, photo in enumerate(draft.photos, start=1):
        out += _photo_lines(number, photo, data_dir, lang)
    inbound = draft.inbound
    uid = inbound.uid if inbound.uid is not None else "-"  # imported messages have none
    out += [
        "",
        f"{label('original', lang)} (#{inbound.id}, {inbound.mailbox}, UID {uid}):",
        f"  {label('sender', lang).capitalize()}: {inbound.sender}",
        f"  {label('subject', lang).capitalize()}: {inbound.subject}",
        f"  {label('date', lang).capitalize()}: {format_time(inbound.sent_at, lang)}",
        f"  Message-ID: {inbound.message_id}",
        f"  {label('raw_file', lang).capitalize()}: "
        + (str(data_dir / inbound.raw_path) if inbound.raw_path else "-"),
    ]
    return "\n".join(out)


def _purged_part(part: str, lang: str) -> str:
    """ "photo:3:web_path" -> "kuva (id) 3: verkkoversio"; a field -> its name."""
    kind, _sep, rest = part.partition(":")
    if kind == "photo":
        photo_id, _sep, attribute = rest.partition(":")
        return f"{change_name('photo', lang)} {photo_id}: {word(PURGED_PARTS, attribute, lang)}"
    return word(PURGED_PARTS, part, lang) if part in PURGED_PARTS else field_name(part, lang)


_LIST_WORDS: dict[str, Callable[[str, str], str]] = {
    "flags": flag_name,
    "open_flags": flag_name,
    "purged": _purged_part,
}


def value_text(key: str, value: Any, lang: str, limit: int | None = 58) -> str:
    """A value of an event's changes in words: statuses, themes and flags by name, lists
    joined, text quoted and (with `limit`) cut short."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return label("yes" if value else "no", lang)
    if isinstance(value, list):
        name = _LIST_WORDS.get(key)
        return ", ".join(name(str(item), lang) if name else str(item) for item in value)
    if key == "theme":
        return theme_name(str(value), lang)
    if key == "status":
        return status_name(str(value), lang)
    if key == "dismissed_flag":
        return flag_name(str(value), lang)
    text = " ".join(str(value).split())
    if limit is None:
        return text
    return repr(text[: limit - 1] + "…") if len(text) > limit else repr(text)


def _changes_text(changes: dict[str, Any], lang: str) -> list[str]:
    lines = []
    for key, change in changes.items():
        name = change_name(key, lang)
        if isinstance(change, dict) and set(change) == {"from", "to"}:
            old, new = value_text(key, change["from"], lang), value_text(key, change["to"], lang)
            lines.append(f"    {name}: {old} → {new}")
        else:
            lines.append(f"    {name}: {value_text(key, change, lang)}")
    return lines


def history_text(events: list[ReviewEvent], lang: str = "fi") -> str:
    """Each event: when, who, what, the changes from → to, and the note."""
    if not events:
        return label("no_events", lang)
    out: list[str] = []
    for event in events:
        out.append(
            f"{format_time(event.at, lang)}  {event.actor}  {action_name(event.action, lang)}"
        )
        out += _changes_text(event.changes, lang)
        if event.note:
            out.append(f"    » {event.note}")
    return "\n".join(out)
