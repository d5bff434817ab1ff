"""Tell signature images and logos apart from real photos, before choosing the main photo.

Signals, strongest first: the same bytes arrived before from other senders (a shared logo);
the image is tiny (by pixels or bytes); it carries camera EXIF (then it is a photo whatever
its name); it is an inline part that the HTML body shows via `cid:` or that carries Outlook's
`image001.png` naming, and it is small or banner-shaped. Outlook gives pasted photos the same
`image00N` names as signature logos, so a name alone never demotes a big image.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

from core.config import PhotoSettings
from core.vocabulary import SignatureReason
from ingest.message import Attachment
from ingest.photos.header import ImageHeader

_CID_RE = re.compile(r"""cid:<?([^"'\s<>)]+)""", re.IGNORECASE)
_OUTLOOK_NAME_RE = re.compile(r"^image\d{3}\.(?:png|jpe?g|gif|bmp|emz|wmz)$", re.IGNORECASE)
# An inline image this many times the tiny limit is still "small" (signature banners, logos).
_INLINE_SMALL_FACTOR = 3
_BANNER_RATIO = 3.0


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether an image is a signature/logo, why (a SignatureReason) and the facts that showed it.

    The reason becomes a note on the draft, worded by the catalogue where shown.
    """

    is_signature: bool
    why: SignatureReason | None = None
    facts: dict[str, int] = field(default_factory=dict)


def _normalise_cid(value: str) -> str:
    return unquote(value).strip().strip("<>").lower()


def cid_references(html: str) -> frozenset[str]:
    """The Content-IDs that the HTML body displays (`src="cid:..."`), lower-cased."""
    return frozenset(_normalise_cid(m.group(1)) for m in _CID_RE.finditer(html))


def is_outlook_inline_name(filename: str) -> bool:
    """True for Outlook/Exchange inline names like image001.png or image002.jpg."""
    return bool(_OUTLOOK_NAME_RE.match(filename.strip()))


def classify(
    attachment: Attachment,
    header: ImageHeader,
    sha256: str,
    *,
    referenced_cids: frozenset[str],
    settings: PhotoSettings,
    is_recurring: Callable[[str], bool],
) -> Verdict:
    """Decide whether `attachment` is a signature image rather than a photo."""
    if is_recurring(sha256):
        return Verdict(True, SignatureReason.RECURRING)
    if header.max_side <= settings.signature_max_side:
        size = {"width": header.width, "height": header.height}
        return Verdict(True, SignatureReason.SMALL_IMAGE, size)
    if len(attachment.payload) <= settings.signature_max_bytes:
        return Verdict(True, SignatureReason.SMALL_FILE, {"bytes": len(attachment.payload)})
    if header.from_camera:
        return Verdict(False)
    cid = _normalise_cid(attachment.content_id)
    shown_inline = bool(cid) and cid in referenced_cids
    outlook_named = is_outlook_inline_name(attachment.filename)
    if shown_inline or outlook_named:
        small = header.max_side <= settings.signature_max_side * _INLINE_SMALL_FACTOR
        short_side = max(1, min(header.width, header.height))
        banner = header.max_side / short_side >= _BANNER_RATIO
        if small or banner:
            why = SignatureReason.INLINE_HTML if shown_inline else SignatureReason.INLINE_OUTLOOK
            return Verdict(True, why)
    return Verdict(False)
