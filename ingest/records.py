"""Turning an analysis into database rows: the inbound message, its draft, flags and photos.

Kept apart from the pipeline's control flow so that `reparse` can refresh an existing draft with
the same mapping, leaving alone every field an editor has already edited.
"""

from __future__ import annotations

from core.vocabulary import SECTION_KEYS
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
    return values


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
        draft.theme_reason = u.theme_reason
    draft.unmatched_text = u.sections.unmatched
    draft.quoted_text = u.quoted_text
    draft.signature = u.signature
    draft.forwarded_by = u.forwarded_by
    draft.source_document = u.source_document
    draft.field_sources = dict(u.field_sources)
    draft.text_fingerprint = analysis.text_fingerprint
    draft.passed_rules = list(analysis.passed_rules)
    if "photo_credit" not in keep:
        draft.photo_credit = analysis.photos.credit
    new_flags = [(f.code.value, f.message, f.detail) for f in analysis.flags]
    if [(f.code, f.message, f.detail) for f in draft.flags] != new_flags:
        draft.flags = [DraftFlag(code=c, message=m, detail=d) for c, m, d in new_flags]
    if not draft.photos or "main_photo" not in keep:
        new_photos = [_photo_row(p) for p in analysis.photos.photos]
        if [_photo_key(p) for p in draft.photos] != [_photo_key(p) for p in new_photos]:
            draft.photos = new_photos
    return _snapshot(draft) != before


def new_draft(analysis: Analysis) -> PracticeDraft:
    """A fresh draft for a message seen for the first time."""
    draft = PracticeDraft(status="draft", edited_fields=[], flags=[], photos=[])
    apply_analysis(draft, analysis, keep=frozenset())
    return draft


def _photo_row(photo: ProcessedPhoto) -> Photo:
    return Photo(
        role=photo.role.value,
        attachment_index=photo.attachment_index,
        filename=photo.filename,
        sha256=photo.sha256,
        byte_size=photo.byte_size,
        image_format=photo.image_format,
        width=photo.width,
        height=photo.height,
        web_path=photo.web_path,
        web_width=photo.web_width,
        web_height=photo.web_height,
        thumbnail_path=photo.thumbnail_path,
        credit=photo.credit,
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
        tuple((f.code, f.detail) for f in draft.flags),
        tuple(_photo_key(p) for p in draft.photos),
    )
