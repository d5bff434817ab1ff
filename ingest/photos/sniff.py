"""Decide from the first bytes whether an attachment is an image we must look at.

The declared content type and the file name are hints at best (phones send HEIC as
application/octet-stream, mail clients call PDFs image/jpeg), so a part becomes a candidate
when either its declared type is image/* or its bytes start with a known image signature.
Whether it really is an image is only settled by opening it with Pillow (see `header`).
"""

from __future__ import annotations

from ingest.message import Attachment

# ISO-BMFF brands used by HEIC/HEIF (and AVIF, which we recognise but do not support).
_HEIF_BRANDS = {
    b"heic": "HEIF",
    b"heix": "HEIF",
    b"heim": "HEIF",
    b"heis": "HEIF",
    b"hevc": "HEIF",
    b"hevx": "HEIF",
    b"mif1": "HEIF",
    b"msf1": "HEIF",
    b"avif": "AVIF",
    b"avis": "AVIF",
}

_PREFIXES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"BM", "BMP"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "PSD"),
    (b"\xff\x0a", "JXL"),
    (b"\x00\x00\x00\x0cJXL ", "JXL"),
)


def sniff_image_kind(payload: bytes) -> str:
    """The image format the leading bytes announce ("JPEG", "HEIF", "AVIF"...), or ""."""
    head = payload[:32]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        return _HEIF_BRANDS.get(head[8:12], "")
    for prefix, kind in _PREFIXES:
        if head.startswith(prefix):
            # "BM" alone is too weak: also require the BMP header's reserved zero bytes.
            if kind == "BMP" and head[6:10] != b"\x00\x00\x00\x00":
                continue
            return kind
    stripped = head.lstrip()
    if stripped.startswith((b"<svg", b"<?xml")) and b"<svg" in payload[:1024]:
        return "SVG"
    return ""


def is_image_candidate(attachment: Attachment) -> bool:
    """True when the part declares an image type or its bytes look like one."""
    declared = attachment.content_type.split(";", 1)[0].strip().lower()
    return declared.startswith("image/") or bool(sniff_image_kind(attachment.payload))
