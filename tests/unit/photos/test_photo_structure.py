"""TIFF directories and JPEG scans are counted from the bytes, and bombs of them refused early."""

from __future__ import annotations

import io
import struct
import time
from dataclasses import replace

import pytest
from PIL import Image

from core.config import PhotoSettings
from ingest.message import Attachment
from ingest.photos.process import process_photos
from ingest.photos.result import PhotoRole, ProcessedPhoto
from ingest.photos.structure import MAX_JPEG_SCANS, jpeg_scans, tiff_directories
from store.files import BlobStore


def tiff(frames: int, **params: object) -> bytes:
    out = io.BytesIO()
    images = [Image.new("L", (4, 4), n % 256) for n in range(frames)]
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:], **params)
    return out.getvalue()


def tiff_chain(directories: int) -> bytes:
    """A 1x1 grey TIFF of `directories` identical directories chained one after another."""
    entries = [(256, 1), (257, 1), (258, 8), (259, 1), (262, 1), (273, 8), (279, 1)]
    size = 2 + 12 * len(entries) + 4
    chunks = [b"II*\x00" + struct.pack("<I", 10), b"\x80\x00"]
    for n in range(directories):
        body = struct.pack("<H", len(entries))
        body += b"".join(struct.pack("<HHII", tag, 4, 1, value) for tag, value in entries)
        following = 10 + (n + 1) * size if n + 1 < directories else 0
        chunks.append(body + struct.pack("<I", following))
    return b"".join(chunks)


def progressive_jpeg(side: int, extra_scans: int = 0) -> bytes:
    """A black progressive JPEG whose last scan is repeated `extra_scans` more times."""
    out = io.BytesIO()
    Image.new("L", (side, side)).save(out, "JPEG", progressive=True)
    jpeg = out.getvalue()
    last_scan = jpeg.rindex(b"\xff\xda")
    end = len(jpeg) - 2  # the EOI marker
    return jpeg[:end] + jpeg[last_scan:end] * extra_scans + jpeg[end:]


def process(payload: bytes, blobs: BlobStore, settings: PhotoSettings) -> ProcessedPhoto:
    attachment = Attachment(index=0, content_type="image/x", filename="kuva", payload=payload)
    report = process_photos(
        [attachment], "", "", settings=settings, blobs=blobs, is_recurring=lambda _sha: False
    )
    (photo,) = report.photos
    return photo


def test_tiff_directories_are_counted_as_pillow_counts_frames() -> None:
    assert tiff_directories(tiff(1), 100) == 1
    assert tiff_directories(tiff(4), 100) == 4
    assert tiff_directories(tiff(3, big_tiff=True), 100) == 3


def test_counting_stops_one_past_the_limit_and_at_a_loop() -> None:
    assert tiff_directories(tiff_chain(1000), 10) == 11
    looping = bytearray(tiff_chain(1))
    looping[-4:] = struct.pack("<I", 10)  # the directory names itself as the next one
    assert tiff_directories(bytes(looping), 10) == 1


def test_jpeg_scans_are_counted_without_decoding() -> None:
    assert jpeg_scans(progressive_jpeg(64), 100) == 6
    assert jpeg_scans(progressive_jpeg(64, extra_scans=20), 100) == 26
    assert jpeg_scans(progressive_jpeg(64, extra_scans=500), 10) == 11


def test_a_tiff_of_too_many_directories_is_rejected_before_pillow_walks_it(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    started = time.perf_counter()
    photo = process(tiff_chain(20_000), blobs, settings)
    assert photo.role is PhotoRole.REJECTED
    assert "kehyksiä" in photo.reject_reason
    assert time.perf_counter() - started < 1


def test_a_jpeg_of_too_many_scans_is_rejected_before_decoding(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    photo = process(progressive_jpeg(256, extra_scans=MAX_JPEG_SCANS), blobs, settings)
    assert photo.role is PhotoRole.REJECTED
    assert "JPEG-pyyhkäisyjä" in photo.reject_reason


def test_an_image_over_its_cpu_time_is_rejected(
    blobs: BlobStore, settings: PhotoSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Any step of reading an image counts: here classifying it spins for five seconds."""

    def spin(*_args: object, **_kwargs: object) -> None:
        end = time.process_time() + 5
        while time.process_time() < end:
            pass

    monkeypatch.setattr("ingest.photos.process.classify", spin)
    started = time.process_time()
    photo = process(progressive_jpeg(64), blobs, replace(settings, max_image_seconds=1))
    assert photo.role is PhotoRole.REJECTED
    assert "kesti liian kauan" in photo.reject_reason
    assert time.process_time() - started < 2
