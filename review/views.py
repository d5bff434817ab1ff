"""The text views of one draft (`review show`) and of its history (`review history`).

Everything an editor needs to judge a draft fits on one screen or two: the fields under the
Finnish headings, the flags with their codes, the photos with their files, and where the original
message lies so nothing has to be taken on trust.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.vocabulary import SECTION_KEYS
from review.queries import received_at
from review.rendering import change_label, t
from review.vocabulary import SECTION_HEADINGS, field_name, format_time, theme_name
from store.models import Photo, PracticeDraft, ReviewEvent

QUOTED_LINES_SHOWN = 8
PHOTO_ROLE_LABELS = {
    "main": "main",
    "alternative": "alternative",
    "signature": "signature_image",
    "rejected": "rejected_image",
}


def _block(text: str, lang: str, limit: int | None = None) -> list[str]:
    if not text.strip():
        return [t("empty", lang)]
    lines = text.rstrip().splitlines()
    if limit is not None and len(lines) > limit:
        hidden = len(lines) - limit
        return [*lines[:limit], f"(… {hidden} {t('more_lines', lang)})"]
    return lines


def _photo_line(number: int, photo: Photo, data_dir: Path, lang: str) -> list[str]:
    role = t(PHOTO_ROLE_LABELS.get(photo.role, photo.role), lang)
    size = f"{photo.width}×{photo.height}" if photo.width else "?"
    head = f"  {number}. [{role}] {photo.filename or '-'}  {size} {photo.image_format}".rstrip()
    lines = [head + f"  (id {photo.id})"]
    if photo.web_path:
        web = f"{photo.web_width}×{photo.web_height}"
        lines.append(f"     {t('web', lang)} {web}: {data_dir / photo.web_path}")
    if photo.thumbnail_path:
        lines.append(f"     {t('thumbnail', lang)}: {data_dir / photo.thumbnail_path}")
    if photo.credit:
        lines.append(f"     {t('photo_credit', lang)}: {photo.credit}")
    if photo.reject_reason:
        lines.append(f"     {t('rejected_image', lang)}: {photo.reject_reason}")
    if photo.had_location:
        lines.append(f"     {t('location_removed', lang)}")
    return lines


def show_text(draft: PracticeDraft, data_dir: Path, lang: str = "fi") -> str:
    """Every field of a draft under its heading, then flags, photos and the original message."""
    status = t(draft.status, lang)
    out = [f"#{draft.id}  {draft.title}", f"{t('status', lang).capitalize()}: {status}"]
    out[-1] += f" · {t('version', lang)} {draft.version}"
    theme = theme_name(draft.theme, lang) or t("no_theme", lang)
    if draft.theme and draft.theme_suggested:
        theme += f" ({t('suggested', lang)}: {draft.theme_reason or '-'})"
    contact = draft.contact_name
    if draft.contact_email:
        contact = f"{contact} <{draft.contact_email}>".strip()
    pairs = [
        (field_name("title", lang), draft.title),
        (t("organisation", lang), draft.organisation),
        (t("contact", lang), contact),
        (t("theme", lang), theme),
        (t("language", lang), draft.language),
        (t("photo_credit", lang), draft.photo_credit),
        (t("received", lang), format_time(received_at(draft), lang)),
        (t("forwarded_by", lang), draft.forwarded_by),
        (t("source_document", lang), draft.source_document),
        (t("approved_at", lang), format_time(draft.approved_at, lang)),
        (t("rejection_reason", lang), draft.rejection_reason),
        (t("edited_fields", lang), ", ".join(draft.edited_fields)),
    ]
    width = max(len(label) for label, _ in pairs) + 2
    out += [f"{(label + ':').ljust(width)}{value}" for label, value in pairs if value]
    out = out[:2] + [line[0].upper() + line[1:] for line in out[2:]]
    for key in SECTION_KEYS:
        out += ["", f"== {SECTION_HEADINGS[lang][key]} ==", *_block(getattr(draft, key), lang)]
    for label, text, limit in (
        ("unmatched", draft.unmatched_text, None),
        ("signature", draft.signature, None),
        ("quoted", draft.quoted_text, QUOTED_LINES_SHOWN),
    ):
        if text.strip():
            out += ["", f"-- {t(label, lang)} --", *_block(text, lang, limit)]
    out += ["", f"{t('flag_list', lang)} ({len(draft.flags)}):"]
    if not draft.flags:
        out.append(f"  {t('no_flags', lang)}")
    for flag in draft.flags:
        detail = f" ({flag.detail})" if flag.detail else ""
        out.append(f"  - {flag.message}{detail} [{flag.code}]")
    if draft.passed_rules:
        out.append(f"{t('passed_rules', lang)}: {', '.join(draft.passed_rules)}")
    out += ["", f"{t('photos', lang)} ({len(draft.photos)}):"]
    if not draft.photos:
        out.append(f"  {t('no_photos', lang)}")
    for number, photo in enumerate(draft.photos, start=1):
        out += _photo_line(number, photo, data_dir, lang)
    inbound = draft.inbound
    out += [
        "",
        f"{t('original', lang)} (#{inbound.id}, {inbound.mailbox}, UID {inbound.uid}):",
        f"  {t('sender', lang).capitalize()}: {inbound.sender}",
        f"  {t('subject', lang).capitalize()}: {inbound.subject}",
        f"  {t('date', lang).capitalize()}: {format_time(inbound.sent_at, lang)}",
        f"  Message-ID: {inbound.message_id}",
        f"  {t('raw_file', lang).capitalize()}: "
        + (str(data_dir / inbound.raw_path) if inbound.raw_path else "-"),
    ]
    return "\n".join(out)


def _value(key: str, value: Any, lang: str) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return t("yes" if value else "no", lang)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if key == "theme":
        return theme_name(str(value), lang)
    if key == "status":
        return t(str(value), lang)
    text = " ".join(str(value).split())
    return repr(text[:57] + "…") if len(text) > 58 else repr(text)


def _changes_text(changes: dict[str, Any], lang: str) -> list[str]:
    lines = []
    for key, change in changes.items():
        label = change_label(key, lang)
        if isinstance(change, dict) and set(change) == {"from", "to"}:
            old, new = _value(key, change["from"], lang), _value(key, change["to"], lang)
            lines.append(f"    {label}: {old} → {new}")
        else:
            lines.append(f"    {label}: {_value(key, change, lang)}")
    return lines


def history_text(events: list[ReviewEvent], lang: str = "fi") -> str:
    """Each event: when, who, what, the changes from → to, and the note."""
    if not events:
        return t("no_events", lang)
    out: list[str] = []
    for event in events:
        out.append(f"{format_time(event.at, lang)}  {event.actor}  {t(event.action, lang)}")
        out += _changes_text(event.changes, lang)
        if event.note:
            out.append(f"    » {event.note}")
    return "\n".join(out)
