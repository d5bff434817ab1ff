"""Image candidates are found from bytes as well as from the declared type."""

from __future__ import annotations

import pytest

from ingest.message import Attachment
from ingest.photos.sniff import is_image_candidate, sniff_image_kind


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
        (b"GIF89a\x01\x00", "GIF"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WEBP"),
        (b"II*\x00\x08\x00\x00\x00", "TIFF"),
        (b"MM\x00*\x00\x00\x00\x08", "TIFF"),
        (b"BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36", "BMP"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "HEIF"),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00", "HEIF"),
        (b"\x00\x00\x00\x1cftypavif\x00\x00", "AVIF"),
        (b"%PDF-1.7", ""),
        (b"BMW is a car", ""),
    ],
)
def test_magic_bytes_name_the_format(head: bytes, kind: str) -> None:
    assert sniff_image_kind(head + b"\x00" * 32) == kind


def test_octet_stream_with_image_bytes_is_a_candidate() -> None:
    part = Attachment(0, "application/octet-stream", "x.bin", b"\xff\xd8\xff\xe1" + b"\x00" * 40)
    assert is_image_candidate(part)


def test_declared_image_without_image_bytes_is_still_a_candidate() -> None:
    assert is_image_candidate(Attachment(0, "image/jpeg", "x.jpg", b"%PDF-1.7"))


def test_document_is_not_a_candidate() -> None:
    assert not is_image_candidate(Attachment(0, "application/pdf", "a.pdf", b"%PDF-1.7"))
