"""Turning an analysis into database rows: the inbound message, its draft, flags and photos.

Kept apart from the pipeline's control flow so that `reparse` can refresh an existing draft with
the same mapping, leaving alone every field an editor has already edited.

Text composed from the message for display (fields, sections, signature, flag and note
parameters) goes through `core.display.visible`, so a control sequence a sender planted is stored
as a visible mark and cannot act on an editor's terminal or reorder text with a bidi override;
the inbound row's header facts and the archived raw message stay as received.
"""

from __future__ import annotations

import json
from typing import Any

from core.display import visible
from core.vocabulary import SECTION_KEYS, SINGLE_LINE_FIELDS
from ingest.analysis import Analysis
from ingest.photos.result import ProcessedPhoto
from store.models import DraftFlag, InboundMessage, Photo, PracticeDraft

# Draft fields that come from understanding, by the name editors and `edited_fields` use.
UNDERSTOOD_FIELDS = (
    "title",
    "organisation",
    "contact_name",
    "contact_email",
    "theme",
    *SECTION_KEYS,
    "language",
)


def fill_inbound(row: InboundMessage, analysis: Analysis) -> None:
    """Copy the header facts of the parsed message onto its inbound row."""
    message = analysis.message
    row.message_id = message.message_id[:998]
    row.sender = (
        f"{message.from_name} <{message.from_address}>"
        if message.from_name
        else message.from_address
    )[:998]
    row.subject = message.subject
    row.sent_at = message.date
    row.defects = list(message.defects)


def understood_values(analysis: Analysis) -> dict[str, object]:
    """The draft's field values as understanding found them."""
    u = analysis.understanding
    assert u is not None
    values: dict[str, object] = {
        "title": u.title,
        "organisation": u.organisation,
        "contact_name": u.contact_name,
        "contact_email": u.contact_email,
        "theme": u.theme,
        "language": u.language,
    }
    for key in SECTION_KEYS:
        values[key] = u.sections.get(key)
    # A line break planted in a one-line field is shown as a mark ("␊"), as any control is.
    return {
        name: visible(value, multiline=name not in SINGLE_LINE_FIELDS)
        if isinstance(value, str)
        else value
        for name, value in values.items()
    }


def shown(value: Any) -> Any:
    """A JSON parameter with every string in it made safe to display (`visible`)."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [shown(item) for item in value]
    if isinstance(value, dict):
        return {key: shown(item) for key, item in value.items()}
    return value


def apply_analysis(draft: PracticeDraft, analysis: Analysis, *, keep: frozenset[str]) -> bool:
    """Write the analysis onto `draft`, except the fields in `keep`; True when anything changed."""
    u = analysis.understanding
    assert u is not None
    before = _snapshot(draft)
    for name, value in understood_values(analysis).items():
        if name not in keep:
            setattr(draft, name, value)
    if "theme" not in keep:
        draft.theme_suggested = u.theme_suggested
        draft.theme_reason = visible(u.theme_reason, multiline=False)
    draft.unmatched_text = visible(u.sections.unmatched)
    draft.quoted_text = visible(u.quoted_text)
    draft.signature = visible(u.signature)
    draft.forwarded_by = visible(u.forwarded_by, multiline=False)
    draft.source_document = visible(u.source_document, multiline=False)
    draft.field_sources = dict(u.field_sources)
    draft.text_fingerprint = analysis.text_fingerprint
    draft.passed_rules = list(analysis.passed_rules)
    if "photo_credit" not in keep:
        draft.photo_credit = visible(analysis.photos.credit, multiline=False)
    draft.notes = [shown(note.as_json()) for note in (*u.notes, *analysis.photos.notes)]
    _apply_flags(draft, analysis)
    if not draft.photos or "main_photo" not in keep:
        new_photos = [_photo_row(p) for p in analysis.photos.photos]
        if [_photo_key(p) for p in draft.photos] != [_photo_key(p) for p in new_photos]:
            draft.photos = new_photos
    return _snapshot(draft) != before


def _apply_flags(draft: PracticeDraft, analysis: Analysis) -> None:
    """Replace the draft's flags with the analysis's, unless they are the same.

    A flag an editor dismissed stays dismissed when a re-analysis raises it again with the same
    parameters; a flag whose facts changed (another duplicate found) is a new doubt, open again.
    """
    new_flags = [(flag.code.value, shown(flag.params)) for flag in analysis.flags]
    if [(flag.code, flag.params) for flag in draft.flags] == new_flags:
        return
    dismissed = {_flag_key(f.code, f.params): f for f in draft.flags if not f.is_open}
    rows = []
    for code, params in new_flags:
        row = DraftFlag(code=code, params=params)
        earlier = dismissed.pop(_flag_key(code, params), None)
        if earlier is not None:
            row.dismissed_at = earlier.dismissed_at
            row.dismissed_by = earlier.dismissed_by
            row.dismissal_reason = earlier.dismissal_reason
        rows.append(row)
    draft.flags = rows


def _flag_key(code: str, params: dict[str, Any]) -> str:
    return code + json.dumps(params, sort_keys=True)


def new_draft(analysis: Analysis) -> PracticeDraft:
    """A fresh draft for a message seen for the first time."""
    draft = PracticeDraft(status="draft", edited_fields=[], flags=[], photos=[], notes=[])
    apply_analysis(draft, analysis, keep=frozenset())
    return draft


def _photo_row(photo: ProcessedPhoto) -> Photo:
    return Photo(
        role=photo.role.value,
        attachment_index=photo.attachment_index,
        filename=visible(photo.filename, multiline=False),
        sha256=photo.sha256,
        byte_size=photo.byte_size,
        image_format=photo.image_format,
        width=photo.width,
        height=photo.height,
        web_path=photo.web_path,
        web_width=photo.web_width,
        web_height=photo.web_height,
        thumbnail_path=photo.thumbnail_path,
        credit=visible(photo.credit, multiline=False),
        reject_reason=photo.reject_reason,
        had_location=photo.had_location,
    )


def _photo_key(photo: Photo) -> tuple[object, ...]:
    return (photo.role, photo.sha256, photo.web_path, photo.reject_reason)


def _snapshot(draft: PracticeDraft) -> tuple[object, ...]:
    return (
        *(getattr(draft, name) for name in UNDERSTOOD_FIELDS),
        draft.theme_suggested,
        draft.unmatched_text,
        draft.quoted_text,
        draft.signature,
        draft.forwarded_by,
        draft.source_document,
        draft.photo_credit,
        tuple((f.code, repr(f.params)) for f in draft.flags),
        repr(draft.notes),
        tuple(_photo_key(p) for p in draft.photos),
    )
