"""Colour handling: embedded ICC profiles are honoured, supported formats all decode."""

from __future__ import annotations

import io
import struct
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from core.config import PhotoSettings
from ingest.message import Attachment
from ingest.photos.process import process_photos
from ingest.photos.result import PhotoRole, ProcessedPhoto
from store.files import BlobStore


def _s15(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ " + b"\x00" * 4 + _s15(x) + _s15(y) + _s15(z)


def swapped_primaries_profile() -> bytes:
    """A minimal ICC v2 RGB profile whose red channel means sRGB's green and vice versa."""
    desc_text = b"swapped\x00"
    tags = [
        (
            b"desc",
            b"desc"
            + b"\x00" * 4
            + struct.pack(">I", len(desc_text))
            + desc_text
            + b"\x00" * 12
            + b"\x00" * 67,
        ),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(0.3851, 0.7169, 0.0971)),  # sRGB's green primary (D50)
        (b"gXYZ", _xyz(0.4361, 0.2225, 0.0139)),  # sRGB's red primary (D50)
        (b"bXYZ", _xyz(0.1431, 0.0606, 0.7141)),
    ]
    gamma = b"curv" + b"\x00" * 4 + struct.pack(">I", 1) + struct.pack(">H", 0x0233) + b"\x00\x00"
    tags += [(b"rTRC", gamma), (b"gTRC", gamma), (b"bTRC", gamma)]
    table_size = 4 + 12 * len(tags)
    offset = 128 + table_size
    table, data = struct.pack(">I", len(tags)), b""
    for signature, body in tags:
        body += b"\x00" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    size = 128 + table_size + len(data)
    header = (
        struct.pack(">I", size)
        + b"none"
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + b"\x00" * 12
        + b"acsp"
        + b"\x00" * 28
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"\x00" * 48
    )
    assert len(header) == 128
    return header + table + data


def process(payload: bytes, tmp_path: Path) -> tuple[ProcessedPhoto, BlobStore]:
    blobs = BlobStore(tmp_path, fsync=False)
    part = Attachment(0, "application/octet-stream", "kuva", payload)
    report = process_photos(
        [part], "", "", settings=PhotoSettings(), blobs=blobs, is_recurring=lambda _sha: False
    )
    return report.photos[0], blobs


def test_embedded_icc_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    profile = swapped_primaries_profile()
    ImageCms.ImageCmsProfile(io.BytesIO(profile))  # the profile itself must be valid
    noise = Image.effect_noise((900, 600), 20).convert("L")
    image = Image.merge(
        "RGB", (Image.new("L", noise.size, 230), noise, Image.new("L", noise.size, 20))
    )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, icc_profile=profile)
    photo, blobs = process(buffer.getvalue(), tmp_path)
    assert photo.role is PhotoRole.MAIN
    web = Image.open(io.BytesIO(blobs.read(photo.web_path)))
    red, green, _ = web.getpixel((450, 300))  # type: ignore[misc]
    assert green > red + 60  # "red" in the swapped space is green in sRGB
    assert "icc_profile" not in web.info


@pytest.mark.parametrize("fmt", ["WEBP", "TIFF", "BMP", "PNG", "GIF"])
def test_supported_formats_are_processed(fmt: str, tmp_path: Path) -> None:
    image = Image.effect_noise((700, 500), 60).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    photo, blobs = process(buffer.getvalue(), tmp_path)
    assert (photo.role, photo.image_format) == (PhotoRole.MAIN, fmt)
    assert Image.open(io.BytesIO(blobs.read(photo.web_path))).size == (700, 500)
