"""What a published practice shows, in its own language: the one view every output renders.

The site's pages, the console's preview, the Atom feed, the Markdown and JSON exports and the
newsletter all start from `practice_view(draft)`, so a practice has the same title, date,
summary, headings, photo files and alt text everywhere. Words come from `core.catalogue` in the
practice's language (fi, sv or en; anything else reads as Finnish).

Photos: the main photo's web derivative and thumbnail keep the names the export gives them,
`kuvat/<id>-<hash>.jpg`, where the hash is the derivative's own content hash (the blob store
names derivatives by it), so a changed photo gets a new name (no stale cache anywhere) and an
unchanged one is never copied again. The thumbnail's size is read from its JPEG header.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath

from PIL import Image, UnidentifiedImageError

from core.catalogue import TABLES, language, section_heading, theme_name, word
from core.vocabulary import SECTION_KEYS
from review.dates import local_time
from review.publishing import lead, page_name, paragraphs, received_on
from store.files import BlobStore
from store.models import Photo, PracticeDraft

log = logging.getLogger(__name__)

PHOTO_FOLDER = "kuvat"
# A list shows a shorter lead than a feed or the newsletter: a sentence or two.
TEASER_MAX = 180
SITE_WORDS = TABLES["site"]
_HEX = frozenset("0123456789abcdef")
# Enough of a derivative to hold its JPEG frame header (it has no EXIF or ICC before it).
_HEAD_BYTES = 4096
# Sections whose text may hold the approved links (the others never become links).
LINKED_SECTIONS = frozenset({"more_info"})


@dataclass(frozen=True, slots=True)
class Derivative:
    """One JPEG of a photo: where it is stored, its name in an export, its pixel size."""

    blob: str
    file: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class PhotoView:
    """The main photo as published: its derivatives, alt text and credit."""

    photo_id: int
    web: Derivative
    thumbnail: Derivative | None
    alt: str
    alt_given: bool
    credit: str

    @property
    def portrait(self) -> bool:
        """Taller than wide: laid out narrower, so it never fills a phone's whole screen."""
        return self.web.height > self.web.width

    @property
    def derivatives(self) -> tuple[Derivative, ...]:
        """The files an export copies, smallest first (the order of a srcset)."""
        return (self.thumbnail, self.web) if self.thumbnail else (self.web,)


@dataclass(frozen=True, slots=True)
class SectionView:
    """One of the four answers under its question, as paragraphs of lines."""

    key: str
    heading: str
    paragraphs: tuple[tuple[str, ...], ...]
    links: bool


@dataclass(frozen=True, slots=True)
class PracticeView:
    """Everything a page, a feed entry or a newsletter item shows of one practice."""

    id: int
    name: str
    lang: str
    title: str
    organisation: str
    theme: str | None
    theme_name: str
    theme_name_fi: str
    published: date
    approved_at: datetime | None
    updated_at: datetime
    summary: str
    teaser: str
    sections: tuple[SectionView, ...]
    photo: PhotoView | None

    @property
    def href(self) -> str:
        """The page's file name, relative to the site's folder."""
        return f"{self.name}.html"

    def words(self, key: str, **params: object) -> str:
        """The site's words for `key` in this practice's language."""
        return word(SITE_WORDS, key, self.lang, **params)


def main_photo(draft: PracticeDraft) -> Photo | None:
    """The photo shown with the practice, if it has a web version."""
    return next((p for p in draft.photos if p.role == "main" and p.web_path), None)


def published_on(draft: PracticeDraft) -> date:
    """The page's date: the day of approval in Finnish time (the day received, before that)."""
    if draft.approved_at is None:
        return received_on(draft)
    return local_time(draft.approved_at).date()


def export_name(draft_id: int, blob: str) -> str:
    """`kuvat/<id>-<hash>.jpg`: the name of a stored derivative in an export."""
    stem = PurePosixPath(blob).stem
    digest = stem if len(stem) == 64 and set(stem) <= _HEX else _sha(blob)
    suffix = PurePosixPath(blob).suffix.lower() or ".jpg"
    return f"{PHOTO_FOLDER}/{draft_id}-{digest[:12]}{suffix}"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _jpeg_size(head: bytes) -> tuple[int, int] | None:
    """The size in a JPEG's frame header (SOFn), found by walking the markers before it."""
    position = 2
    while position + 9 <= len(head) and head[position] == 0xFF:
        marker = head[position + 1]
        length = int.from_bytes(head[position + 2 : position + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(head[position + 5 : position + 7], "big")
            width = int.from_bytes(head[position + 7 : position + 9], "big")
            return (width, height) if width and height else None
        position += 2 + length
    return None


def _image_size(path: Path) -> tuple[int, int] | None:
    """The pixel size in an image file's header (the pixels are not decoded).

    Our derivatives are JPEGs without metadata, whose frame header is within the first bytes:
    read directly, that costs a thousandth of opening the file with Pillow, which is the
    fallback for anything else.
    """
    try:
        with path.open("rb") as file:
            head = file.read(_HEAD_BYTES)
    except OSError:
        return None
    if head[:2] == b"\xff\xd8":
        found = _jpeg_size(head)
        if found is not None:
            return found
    try:
        with Image.open(path) as image:
            width, height = image.size
            return width, height
    except (OSError, UnidentifiedImageError, ValueError):
        return None


def photo_view(draft: PracticeDraft, photo: Photo, blobs: BlobStore | None) -> PhotoView:
    """The main photo of `draft` as published; `blobs` lets the thumbnail's size be read."""
    lang = language(draft.language)
    web = Derivative(
        photo.web_path, export_name(draft.id, photo.web_path), photo.web_width, photo.web_height
    )
    thumbnail = None
    if blobs is not None and photo.thumbnail_path:
        size = _image_size(blobs.path_of(photo.thumbnail_path))
        if size is not None and size[0] < web.width:
            thumbnail = Derivative(
                photo.thumbnail_path, export_name(draft.id, photo.thumbnail_path), *size
            )
    alt = " ".join(photo.alt_text.split())
    return PhotoView(
        photo_id=photo.id,
        web=web,
        thumbnail=thumbnail,
        alt=alt or word(SITE_WORDS, "alt_fallback", lang, title=" ".join(draft.title.split())),
        alt_given=bool(alt),
        credit=" ".join((photo.credit or draft.photo_credit).split()),
    )


def practice_view(draft: PracticeDraft, blobs: BlobStore | None = None) -> PracticeView:
    """The published view of `draft` (approved or, for a preview, not yet)."""
    lang = language(draft.language)
    photo = main_photo(draft)
    sections = tuple(
        SectionView(
            key=key,
            heading=section_heading(key, lang),
            paragraphs=tuple(tuple(lines) for lines in paragraphs(getattr(draft, key))),
            links=key in LINKED_SECTIONS,
        )
        for key in SECTION_KEYS
        if getattr(draft, key).strip()
    )
    return PracticeView(
        id=draft.id,
        name=page_name(draft),
        lang=lang,
        title=" ".join(draft.title.split()),
        organisation=" ".join(draft.organisation.split()),
        theme=draft.theme,
        theme_name=theme_name(draft.theme, lang),
        theme_name_fi=theme_name(draft.theme, "fi"),
        published=published_on(draft),
        approved_at=draft.approved_at,
        updated_at=draft.updated_at or draft.created_at,
        summary=lead(draft.what_and_why),
        teaser=lead(draft.what_and_why, TEASER_MAX),
        sections=sections,
        photo=photo_view(draft, photo, blobs) if photo is not None else None,
    )
