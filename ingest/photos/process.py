"""Process every image of one message into a PhotoReport: identify, classify, derive, choose.

This is the boundary the pipeline calls. A bad image must never cost the draft, so every
failure of one image (limits, corrupt data, unsupported format, Pillow bombs) becomes a
REJECTED entry with a Finnish reason; only storage errors (transient, the whole message is
retried) propagate. Each candidate is opened once: its structure is counted from the bytes
(TIFF directories, JPEG scans), the header is read, limits are checked, the image is classified,
and the same open image is decoded for its derivatives, all within `photos.max_image_seconds`
of CPU time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PIL import Image

from core.config import PhotoSettings
from core.errors import PracticesError
from core.vocabulary import NoteCode
from ingest.cpu_limit import cpu_time_limit
from ingest.message import Attachment
from ingest.notes import Note
from ingest.photos.classify import Verdict, cid_references, classify
from ingest.photos.credit import find_credit
from ingest.photos.derive import make_derivatives, make_thumbnail
from ingest.photos.header import (
    ImageHeader,
    ImageRejected,
    open_image,
    pillow_limits,
    read_header,
)
from ingest.photos.result import PhotoReport, PhotoRole, ProcessedPhoto
from ingest.photos.sniff import is_image_candidate, sniff_image_kind
from ingest.photos.structure import check_structure
from store.files import BlobStore, sha256_hex

log = logging.getLogger(__name__)

# What decoding a hostile or broken image can raise; all of it means "reject this image".
_DECODE_ERRORS = (
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    IndexError,
    KeyError,
    TypeError,
    MemoryError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
)


def _check_limits(header: ImageHeader, settings: PhotoSettings) -> None:
    if header.width * header.height > settings.max_image_pixels:
        raise ImageRejected(
            f"liian suuri kuva ({header.width}×{header.height}, "
            f"enintään {settings.max_image_pixels} pikseliä)"
        )
    if header.frames > settings.max_frames:
        raise ImageRejected(f"liikaa kehyksiä ({header.frames}, enintään {settings.max_frames})")


@dataclass(frozen=True)
class _Batch:
    """What every image of one message is processed with, and where its notes are collected."""

    settings: PhotoSettings
    blobs: BlobStore
    referenced_cids: frozenset[str]
    is_recurring: Callable[[str], bool]
    notes: list[Note]


def _process_one(attachment: Attachment, sha256: str, batch: _Batch) -> ProcessedPhoto:
    """One candidate to a ProcessedPhoto with role SIGNATURE or (provisionally) ALTERNATIVE."""
    settings = batch.settings
    if len(attachment.payload) > settings.max_image_bytes:
        raise ImageRejected(
            f"liian suuri tiedosto ({len(attachment.payload)} tavua, "
            f"enintään {settings.max_image_bytes})"
        )
    sniffed = sniff_image_kind(attachment.payload)
    check_structure(attachment.payload, settings.max_frames)
    seconds = settings.max_image_seconds
    too_slow = ImageRejected(f"kuvan käsittely kesti liian kauan (yli {seconds} s)")
    with cpu_time_limit(seconds, lambda: too_slow), pillow_limits(settings.max_image_pixels):
        image = open_image(attachment.payload, sniffed)
        with image:
            header = read_header(image)
            _check_limits(header, settings)
            verdict = classify(
                attachment,
                header,
                sha256,
                referenced_cids=batch.referenced_cids,
                settings=settings,
                is_recurring=batch.is_recurring,
            )
            try:
                if verdict.is_signature:
                    batch.notes.append(_signature_note(attachment, verdict))
                    thumb = make_thumbnail(
                        image,
                        header,
                        thumbnail_size=settings.thumbnail_size,
                        quality=settings.quality,
                    )
                    web = None
                else:
                    web, thumb = make_derivatives(
                        image,
                        header,
                        web_size=settings.web_size,
                        thumbnail_size=settings.thumbnail_size,
                        quality=settings.quality,
                    )
            except _DECODE_ERRORS as exc:
                raise ImageRejected(f"kuva on rikki tai katkennut: {exc}") from exc
    return _photo(
        attachment,
        sha256,
        role=PhotoRole.SIGNATURE if verdict.is_signature else PhotoRole.ALTERNATIVE,
        image_format=header.image_format,
        width=header.width,
        height=header.height,
        web_path=batch.blobs.put_derivative(web.data, "jpg") if web else "",
        web_width=web.width if web else 0,
        web_height=web.height if web else 0,
        thumbnail_path=batch.blobs.put_derivative(thumb.data, "jpg"),
        had_location=header.had_location,
    )


def _process_guarded(attachment: Attachment, sha256: str, batch: _Batch) -> ProcessedPhoto:
    """`_process_one`, with every failure of the image turned into a REJECTED entry."""
    try:
        return _process_one(attachment, sha256, batch)
    except ImageRejected as exc:
        return _rejected(attachment, sha256, exc.reason)
    except PracticesError:
        raise
    except Exception as exc:  # the contract: one bad image never costs the draft
        log.warning(
            "image %r rejected after an unexpected error", attachment.filename, exc_info=True
        )
        return _rejected(attachment, sha256, f"kuvaa ei voitu käsitellä ({type(exc).__name__})")


def _ref(attachment: Attachment) -> str | int:
    """How a note names an image: its file name, or its attachment number when it has none."""
    return attachment.filename or attachment.index


def _signature_note(attachment: Attachment, verdict: Verdict) -> Note:
    reason = verdict.why.value if verdict.why else ""
    return Note(
        NoteCode.SIGNATURE_IMAGE, {"image": _ref(attachment), "reason": reason, **verdict.facts}
    )


def _photo(attachment: Attachment, sha256: str, **found: Any) -> ProcessedPhoto:
    """The entry of one image part: which part it is, and what was `found` of it."""
    return ProcessedPhoto(
        attachment_index=attachment.index,
        filename=attachment.filename,
        sha256=sha256,
        byte_size=len(attachment.payload),
        **found,
    )


def _rejected(attachment: Attachment, sha256: str, reason: str) -> ProcessedPhoto:
    return _photo(attachment, sha256, role=PhotoRole.REJECTED, reject_reason=reason)


def _choose_main(photos: list[ProcessedPhoto], credit: str) -> list[ProcessedPhoto]:
    """Promote the largest real photo (by upright pixel count; first wins a tie) to MAIN."""
    candidates = [i for i, p in enumerate(photos) if p.role is PhotoRole.ALTERNATIVE]
    if candidates:
        best = max(candidates, key=lambda i: (photos[i].width * photos[i].height, -i))
        photos[best] = replace(photos[best], role=PhotoRole.MAIN, credit=credit)
    return photos


def process_photos(
    attachments: Sequence[Attachment],
    html: str,
    text: str,
    *,
    settings: PhotoSettings,
    blobs: BlobStore,
    is_recurring: Callable[[str], bool],
) -> PhotoReport:
    """Every image among `attachments`, processed and given a role; never raises for an image.

    `html` is searched for `cid:` references (signature logos), `text` for a credit line.
    `is_recurring(sha256)` says whether other senders sent the same image bytes before.
    Raises StorageError only when a derivative cannot be written.
    """
    credit = find_credit(text)
    photos: list[ProcessedPhoto] = []
    notes: list[Note] = []
    batch = _Batch(settings, blobs, cid_references(html), is_recurring, notes)
    by_sha256: dict[str, ProcessedPhoto] = {}
    seen = 0
    for attachment in attachments:
        if not is_image_candidate(attachment):
            continue
        sha256 = sha256_hex(attachment.payload)
        seen += 1
        if seen > settings.max_images:
            reason = f"liikaa kuvia viestissä (enintään {settings.max_images})"
            photos.append(_rejected(attachment, sha256, reason))
            continue
        earlier = by_sha256.get(sha256)
        if earlier is not None:
            # The same bytes twice (inline and attached): reuse the work, list both parts.
            same = {
                "image": _ref(attachment),
                "earlier": earlier.filename or earlier.attachment_index,
            }
            notes.append(Note(NoteCode.SAME_IMAGE, same))
            photos.append(
                replace(earlier, attachment_index=attachment.index, filename=attachment.filename)
            )
            continue
        photo = _process_guarded(attachment, sha256, batch)
        by_sha256[sha256] = photo
        photos.append(photo)
    return PhotoReport(
        photos=tuple(_choose_main(photos, credit)), credit=credit, notes=tuple(notes)
    )


def demote_recurring(report: PhotoReport, is_recurring: Callable[[str], bool]) -> PhotoReport:
    """Turn photos whose bytes other senders sent before into signature images.

    Recurrence needs the database, so a worker process makes the report without it and the
    pipeline applies it afterwards; the main photo is chosen again if it was demoted.
    """
    photos = list(report.photos)
    notes = list(report.notes)
    for i, photo in enumerate(photos):
        if photo.role in (PhotoRole.MAIN, PhotoRole.ALTERNATIVE) and is_recurring(photo.sha256):
            photos[i] = replace(photo, role=PhotoRole.SIGNATURE, credit="")
            image = photo.filename or photo.attachment_index
            notes.append(Note(NoteCode.RECURRING_IMAGE, {"image": image}))
    if notes == list(report.notes):
        return report
    if not any(p.role is PhotoRole.MAIN for p in photos):
        photos = _choose_main(photos, report.credit)
    return PhotoReport(photos=tuple(photos), credit=report.credit, notes=tuple(notes))
