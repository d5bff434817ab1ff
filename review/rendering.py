"""How drafts look to editors and scripts: the message table, text views and stable JSON shapes.

Text views are Finnish by default and English with lang="en"; section headings and theme names
come from `review.vocabulary`. The JSON shapes are an interface that scripts and monitoring rely
on (issue 2): keys are only ever added, never renamed or removed.

`practices review list --json` prints a list of::

    {"id", "received_at", "organisation", "title", "theme", "flag_count", "status"}

`practices review show ID --json` prints::

    {"id", "status", "version", "title", "organisation", "contact_name", "contact_email",
     "theme", "theme_suggested", "theme_reason", "language",
     "sections": {"what_and_why", "achieved", "next_steps", "more_info"},
     "unmatched_text", "quoted_text", "signature", "forwarded_by", "source_document",
     "field_sources", "photo_credit", "rejection_reason",
     "flags": [{"code", "message", "detail"}], "passed_rules": [...],
     "photos": [{"id", "role", "filename", "image_format", "width", "height", "web_path",
                 "web_width", "web_height", "thumbnail_path", "credit", "reject_reason",
                 "had_location", "sha256"}],
     "message": {"inbound_id", "mailbox", "uid", "message_id", "sender", "subject", "sent_at",
                 "raw_sha256", "raw_path"},
     "created_at", "updated_at", "approved_at", "edited_fields"}

`practices review history ID --json` prints a list of
``{"id", "at", "actor", "action", "changes", "note"}``.
Times are ISO 8601 in UTC; paths (`raw_path`, `web_path`, ...) are relative to data_dir.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from core.vocabulary import SECTION_KEYS
from review.queries import received_at
from review.vocabulary import field_name, format_date, theme_name
from store.models import Photo, PracticeDraft, ReviewEvent

MESSAGES: dict[str, tuple[str, str]] = {
    "id": ("nro", "id"),
    "received": ("saapunut", "received"),
    "organisation": ("organisaatio", "organisation"),
    "title": ("otsikko", "title"),
    "theme": ("teema", "theme"),
    "flags": ("huomiot", "flags"),
    "status": ("tila", "status"),
    "draft": ("luonnos", "draft"),
    "approved": ("hyväksytty", "approved"),
    "rejected": ("hylätty", "rejected"),
    "version": ("versio", "version"),
    "contact": ("yhteyshenkilö", "contact"),
    "language": ("kieli", "language"),
    "photo_credit": ("kuvaaja", "photo credit"),
    "suggested": ("ehdotettu", "suggested"),
    "no_theme": ("ei teemaa", "no theme"),
    "edited_fields": ("muokatut kentät", "edited fields"),
    "approved_at": ("hyväksytty", "approved at"),
    "rejection_reason": ("hylkäyksen syy", "reason for rejection"),
    "empty": ("(tyhjä)", "(empty)"),
    "unmatched": ("Muu teksti (ei minkään otsikon alla)", "Other text (under no heading)"),
    "quoted": ("Lainattu aiempi viesti", "Quoted earlier message"),
    "signature": ("Allekirjoitus", "Signature"),
    "forwarded_by": ("välittäjä", "forwarded by"),
    "source_document": ("liitetiedosto", "source document"),
    "flag_list": ("Huomiot", "Flags"),
    "no_flags": ("Ei huomioita.", "No flags."),
    "passed_rules": ("Läpäistyt tarkistukset", "Rules passed"),
    "photos": ("Kuvat", "Photos"),
    "no_photos": ("Ei kuvia.", "No photos."),
    "web": ("verkkoversio", "web version"),
    "thumbnail": ("pienoiskuva", "thumbnail"),
    "location_removed": ("sijaintitieto poistettu", "location removed"),
    "main": ("pääkuva", "main"),
    "alternative": ("vaihtoehto", "alternative"),
    "signature_image": ("allekirjoituskuva", "signature image"),
    "rejected_image": ("hylätty", "rejected"),
    "original": ("Alkuperäinen viesti", "Original message"),
    "sender": ("lähettäjä", "sender"),
    "subject": ("aihe", "subject"),
    "date": ("päiväys", "date"),
    "raw_file": ("tallenne", "raw file"),
    "no_drafts": ("Ei luonnoksia.", "No drafts."),
    "count": ("Luonnoksia", "Drafts"),
    "no_events": ("Ei tapahtumia.", "No events."),
    "more_lines": ("riviä lisää; --json näyttää kaiken", "more lines; --json shows all"),
    "no_changes": ("Ei muutoksia.", "No changes."),
    "saved": ("Tallennettu", "Saved"),
    "confirm": ("Tallennetaanko muutokset? [k/E] ", "Save the changes? [y/N] "),
    "cancelled": ("Peruttu; mitään ei tallennettu.", "Cancelled; nothing was saved."),
    "edit": ("muokkaus", "edit"),
    "photo": ("kuva", "photo"),
    "approve": ("hyväksyntä", "approval"),
    "reject": ("hylkäys", "rejection"),
    "reopen": ("palautus tarkastettavaksi", "reopened"),
    "purge": ("poisto (säilytysaika)", "purge (retention)"),
    "exported": ("Vietiin käytäntöjä", "Practices exported"),
    "files": ("tiedostoa", "files"),
    "missing_photos": ("Kuvatiedosto puuttui, vietiin ilman kuvaa", "Photo file missing, no photo"),
    "newsletter": ("Uutiskirje", "Newsletter"),
    "purged": ("Poistettu säilytysajan ylittäneet", "Purged past retention"),
    "purge_dry_run": ("Poistettaisiin (kokeilu)", "Would purge (dry run)"),
    "days": ("päivää", "days"),
    "yes": ("kyllä", "yes"),
    "no": ("ei", "no"),
    "change_status": ("tila", "status"),
    "change_flags": ("huomiot", "flags"),
    "change_forced": ("pakotettu", "forced"),
    "change_open_flags": ("avoimet huomiot", "open flags"),
    "change_theme_suggested": ("teema ehdotettu", "theme suggested"),
    "change_main_photo": ("pääkuva (id)", "main photo (id)"),
    "change_rejection_reason": ("hylkäyksen syy", "reason for rejection"),
    "change_approved_at": ("hyväksytty", "approved at"),
    "change_purged": ("poistettu", "purged"),
    "drafts": ("luonnoksia", "drafts"),
    "messages": ("viestejä", "messages"),
    "raw_files": ("viestitiedostoja", "raw files"),
    "photo_files": ("kuvatiedostoja", "photo files"),
}


def t(key: str, lang: str = "fi") -> str:
    """The label or message `key` in `lang`; unknown keys come back as they are."""
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]


def change_label(key: str, lang: str = "fi") -> str:
    """How a key of an event's `changes` is named for people."""
    return t(f"change_{key}", lang) if f"change_{key}" in MESSAGES else field_name(key, lang)


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
        "status": draft.status,
    }


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
        "reject_reason": photo.reject_reason,
        "had_location": photo.had_location,
        "sha256": photo.sha256,
    }


def draft_json(draft: PracticeDraft) -> dict[str, Any]:
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
        "flags": [{"code": f.code, "message": f.message, "detail": f.detail} for f in draft.flags],
        "passed_rules": list(draft.passed_rules),
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


def _cut(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def draft_table(drafts: list[PracticeDraft], lang: str = "fi") -> str:
    """The `review list` table: id, received, organisation, title, theme, flags, status."""
    if not drafts:
        return t("no_drafts", lang)
    columns = ("id", "received", "organisation", "title", "theme", "flags", "status")
    widths = (5, 10, 24, 40, 24, 7, 10)
    rows = [tuple(t(c, lang) for c in columns)]
    for draft in drafts:
        rows.append(
            (
                str(draft.id),
                format_date(received_at(draft), lang),
                draft.organisation,
                draft.title,
                theme_name(draft.theme, lang) or "–",
                str(len(draft.flags)),
                t(draft.status, lang),
            )
        )
    lines = [
        "  ".join(_cut(cell, w).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.append(f"{t('count', lang)}: {len(drafts)}")
    return "\n".join(lines)
