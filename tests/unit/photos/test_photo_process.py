"""process_photos end to end, with every image built in code."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import replace
from pathlib import Path

import pillow_heif
import pytest
from PIL import ExifTags, Image, ImageStat

from core.config import PhotoSettings
from core.errors import StorageError
from ingest.message import Attachment
from ingest.photos.process import process_photos
from ingest.photos.result import PhotoReport, PhotoRole, ProcessedPhoto
from store.files import BlobStore
from tests.hostile.generator import png_chunk

RED = (220, 30, 30)
BLUE = (30, 30, 220)


def noisy(size: tuple[int, int], colour: tuple[int, int, int], mode: str = "RGB") -> Image.Image:
    """A colour with photo-like noise, so it compresses like a photo, not like a flat logo."""
    noise = Image.effect_noise(size, 60).convert(mode)
    return Image.blend(Image.new(mode, size, colour), noise, 0.25)


def jpeg_bytes(image: Image.Image, **params: object) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, **params)
    return buffer.getvalue()


def phone_jpeg(size: tuple[int, int] = (4000, 3000), orientation: int = 6) -> bytes:
    """A camera JPEG: red marker at the stored top-left, EXIF orientation, make and GPS."""
    image = noisy(size, BLUE)
    image.paste(RED, (0, 0, size[0] // 4, size[1] // 4))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Phone"
    exif[ExifTags.IFD.GPSInfo] = {1: "N", 2: (60.0, 10.0, 0.0), 3: "E", 4: (24.0, 56.0, 0.0)}
    return jpeg_bytes(image, exif=exif, comment=b"private comment")


def attachment(
    payload: bytes,
    index: int = 0,
    *,
    content_type: str = "image/jpeg",
    filename: str = "",
    content_id: str = "",
    inline: bool = False,
) -> Attachment:
    return Attachment(
        index=index,
        content_type=content_type,
        filename=filename or f"p{index}.jpg",
        payload=payload,
        content_id=content_id,
        inline=inline,
    )


def run(
    attachments: list[Attachment],
    blobs: BlobStore,
    settings: PhotoSettings,
    html: str = "",
    text: str = "",
    recurring: frozenset[str] = frozenset(),
) -> PhotoReport:
    return process_photos(
        attachments,
        html,
        text,
        settings=settings,
        blobs=blobs,
        is_recurring=lambda sha: sha in recurring,
    )


def read_back(blobs: BlobStore, relative: str) -> Image.Image:
    image = Image.open(io.BytesIO(blobs.read(relative)))
    image.load()
    return image


def only(report: PhotoReport) -> ProcessedPhoto:
    assert len(report.photos) == 1
    return report.photos[0]


def test_rotated_phone_photo_gives_upright_web_size_derivative(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    photo = only(run([attachment(phone_jpeg())], blobs, settings))
    assert photo.role is PhotoRole.MAIN
    assert (photo.width, photo.height) == (3000, 4000)
    assert (photo.web_width, photo.web_height) == (1200, 1600)
    web = read_back(blobs, photo.web_path)
    assert web.size == (1200, 1600)
    # Orientation 6 turns the stored top-left corner to the top-right.
    red, _, blue = web.getpixel((1150, 50))  # type: ignore[misc]
    assert red > 150 and blue < 100


def test_derivatives_carry_no_metadata(blobs: BlobStore, settings: PhotoSettings) -> None:
    photo = only(run([attachment(phone_jpeg())], blobs, settings))
    for relative in (photo.web_path, photo.thumbnail_path):
        derivative = read_back(blobs, relative)
        assert len(derivative.getexif()) == 0
        for key in ("exif", "xmp", "icc_profile", "comment", "photoshop"):
            assert key not in derivative.info


def test_location_in_original_is_reported(blobs: BlobStore, settings: PhotoSettings) -> None:
    assert only(run([attachment(phone_jpeg())], blobs, settings)).had_location


def test_thumbnail_is_made_at_thumbnail_size(blobs: BlobStore, settings: PhotoSettings) -> None:
    photo = only(run([attachment(phone_jpeg())], blobs, settings))
    assert read_back(blobs, photo.thumbnail_path).size == (300, 400)


def test_small_photo_is_never_upscaled(blobs: BlobStore, settings: PhotoSettings) -> None:
    photo = only(run([attachment(phone_jpeg((800, 600), orientation=1))], blobs, settings))
    assert (photo.web_width, photo.web_height) == (800, 600)
    assert read_back(blobs, photo.web_path).size == (800, 600)


def test_heic_is_processed(blobs: BlobStore, settings: PhotoSettings) -> None:
    buffer = io.BytesIO()
    pillow_heif.from_pillow(noisy((1200, 900), RED)).save(buffer, quality=80)
    heic = attachment(
        buffer.getvalue(), content_type="application/octet-stream", filename="IMG_0001.HEIC"
    )
    photo = only(run([heic], blobs, settings))
    assert photo.role is PhotoRole.MAIN
    assert photo.image_format == "HEIF"
    assert read_back(blobs, photo.web_path).size == (1200, 900)


def test_png_alpha_is_flattened_on_white(blobs: BlobStore, settings: PhotoSettings) -> None:
    image = noisy((800, 600), BLUE, "RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 400, 600))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    photo = only(run([attachment(buffer.getvalue(), content_type="image/png")], blobs, settings))
    web = read_back(blobs, photo.web_path)
    assert web.mode == "RGB"
    assert min(web.getpixel((100, 300))) > 245  # type: ignore[arg-type]


def bomb_png(width: int = 30000, height: int = 30000) -> bytes:
    """A tiny PNG whose header declares an enormous image."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def test_decompression_bomb_is_rejected_and_others_survive(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    report = run(
        [
            attachment(bomb_png(), 0, content_type="image/png"),
            attachment(phone_jpeg((1600, 1200), 1), 1),
        ],
        blobs,
        settings,
    )
    bomb, photo = report.photos
    assert bomb.role is PhotoRole.REJECTED and bomb.reject_reason
    assert photo.role is PhotoRole.MAIN


def test_pixels_between_limit_and_twice_it_are_rejected_not_warned(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    limited = replace(settings, max_image_pixels=1_000_000)
    before = Image.MAX_IMAGE_PIXELS
    photo = only(run([attachment(bomb_png(1200, 1000), content_type="image/png")], blobs, limited))
    assert photo.role is PhotoRole.REJECTED
    assert before == Image.MAX_IMAGE_PIXELS


def test_truncated_jpeg_is_rejected(blobs: BlobStore, settings: PhotoSettings) -> None:
    data = phone_jpeg((1600, 1200), 1)
    photo = only(run([attachment(data[: len(data) // 2])], blobs, settings))
    assert photo.role is PhotoRole.REJECTED
    assert "rikki" in photo.reject_reason


def animated_gif(frames: int = 2) -> bytes:
    colours = [RED, BLUE, (30, 220, 30)]
    images = [noisy((600, 400), colours[i % 3]) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, "GIF", save_all=True, append_images=images[1:], duration=100)
    return buffer.getvalue()


def test_animated_gif_uses_first_frame(blobs: BlobStore, settings: PhotoSettings) -> None:
    photo = only(run([attachment(animated_gif(), content_type="image/gif")], blobs, settings))
    assert photo.role is PhotoRole.MAIN
    red, _, blue = ImageStat.Stat(read_back(blobs, photo.web_path)).mean
    assert red > blue + 80


def test_too_many_frames_is_rejected(blobs: BlobStore, settings: PhotoSettings) -> None:
    limited = replace(settings, max_frames=2)
    photo = only(run([attachment(animated_gif(3), content_type="image/gif")], blobs, limited))
    assert photo.role is PhotoRole.REJECTED


def test_cid_logo_is_signature_next_to_attached_photo(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    logo = io.BytesIO()
    noisy((420, 120), RED).save(logo, "PNG")
    parts = [
        attachment(
            logo.getvalue(),
            0,
            content_type="image/png",
            filename="image001.png",
            content_id="<image001.png@01DA1234.5678>",
            inline=True,
        ),
        attachment(phone_jpeg((2000, 1500), 1), 1, filename="IMG_1234.jpg"),
    ]
    html = '<p>Terveisin</p><img src="cid:image001.png@01DA1234.5678" width="140">'
    report = run(parts, blobs, settings, html=html)
    assert [p.role for p in report.photos] == [PhotoRole.SIGNATURE, PhotoRole.MAIN]
    assert report.main is not None and report.main.filename == "IMG_1234.jpg"


def test_largest_photo_is_main_and_others_alternatives(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    parts = [attachment(phone_jpeg((1000, 800), 1), 0), attachment(phone_jpeg((2000, 1500), 1), 1)]
    report = run(parts, blobs, settings)
    assert [p.role for p in report.photos] == [PhotoRole.ALTERNATIVE, PhotoRole.MAIN]
    assert all(p.web_path and p.thumbnail_path for p in report.photos)


def test_image_over_byte_limit_is_rejected(blobs: BlobStore, settings: PhotoSettings) -> None:
    limited = replace(settings, max_image_bytes=50_000)
    photo = only(run([attachment(phone_jpeg((1600, 1200), 1))], blobs, limited))
    assert photo.role is PhotoRole.REJECTED
    assert "tavua" in photo.reject_reason


def test_images_beyond_max_images_are_rejected(blobs: BlobStore, settings: PhotoSettings) -> None:
    parts = [attachment(phone_jpeg((900 + i, 700), 1), i) for i in range(3)]
    report = run(parts, blobs, replace(settings, max_images=2))
    assert [p.role is PhotoRole.REJECTED for p in report.photos] == [False, False, True]


def test_recurring_image_is_signature(blobs: BlobStore, settings: PhotoSettings) -> None:
    from store.files import sha256_hex

    data = phone_jpeg((1600, 1200), 1)
    report = run([attachment(data)], blobs, settings, recurring=frozenset({sha256_hex(data)}))
    assert only(report).role is PhotoRole.SIGNATURE
    assert report.main is None


def test_credit_line_goes_to_report_and_main_photo(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    text = "Työpaja kokosi 40 osallistujaa.\n\nKuva: Maija Meikäläinen\n"
    report = run([attachment(phone_jpeg((1600, 1200), 1))], blobs, settings, text=text)
    assert report.credit == "Maija Meikäläinen"
    assert report.main is not None and report.main.credit == "Maija Meikäläinen"


def test_declared_type_is_not_trusted(blobs: BlobStore, settings: PhotoSettings) -> None:
    pdf_as_jpeg = attachment(b"%PDF-1.7\n" + b"x" * 100, 0, filename="kuva.jpg")
    png_as_bin = io.BytesIO()
    noisy((900, 600), BLUE).save(png_as_bin, "PNG")
    parts = [
        pdf_as_jpeg,
        attachment(
            png_as_bin.getvalue(), 1, content_type="application/octet-stream", filename="x.bin"
        ),
    ]
    report = run(parts, blobs, settings)
    assert [p.role for p in report.photos] == [PhotoRole.REJECTED, PhotoRole.MAIN]
    assert report.photos[1].image_format == "PNG"


def test_non_image_attachments_are_ignored(blobs: BlobStore, settings: PhotoSettings) -> None:
    doc = Attachment(
        index=0, content_type="application/pdf", filename="a.pdf", payload=b"%PDF-1.7\n"
    )
    assert run([doc], blobs, settings).photos == ()


def test_unsupported_image_format_is_rejected_with_reason(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    svg = attachment(b'<svg xmlns="http://www.w3.org/2000/svg"/>', content_type="image/svg+xml")
    photo = only(run([svg], blobs, settings))
    assert photo.role is PhotoRole.REJECTED
    assert "SVG" in photo.reject_reason


def test_cmyk_jpeg_becomes_rgb(blobs: BlobStore, settings: PhotoSettings) -> None:
    data = jpeg_bytes(noisy((900, 600), BLUE).convert("CMYK"))
    photo = only(run([attachment(data)], blobs, settings))
    assert read_back(blobs, photo.web_path).mode == "RGB"


def test_broken_icc_profile_is_ignored(blobs: BlobStore, settings: PhotoSettings) -> None:
    data = jpeg_bytes(noisy((900, 600), BLUE), icc_profile=b"not a profile")
    photo = only(run([attachment(data)], blobs, settings))
    assert photo.role is PhotoRole.MAIN


def test_same_image_twice_is_listed_twice_but_one_is_main(
    blobs: BlobStore, settings: PhotoSettings
) -> None:
    data = phone_jpeg((1600, 1200), 1)
    report = run([attachment(data, 0), attachment(data, 1)], blobs, settings)
    assert [p.role for p in report.photos] == [PhotoRole.MAIN, PhotoRole.ALTERNATIVE]
    assert report.photos[0].web_path == report.photos[1].web_path


def test_storage_errors_are_not_turned_into_rejections(
    tmp_path: Path, settings: PhotoSettings
) -> None:
    blocker = tmp_path / "file"
    blocker.write_bytes(b"")
    with pytest.raises(StorageError):
        run([attachment(phone_jpeg((900, 700), 1))], BlobStore(blocker, fsync=False), settings)


def test_demote_recurring_turns_a_shared_image_into_a_signature_and_rechooses_main() -> None:
    from ingest.photos.process import demote_recurring
    from ingest.photos.result import PhotoReport, PhotoRole, ProcessedPhoto

    logo = ProcessedPhoto(PhotoRole.MAIN, 1, "logo.jpg", "a" * 64, 10, width=900, height=900)
    photo = ProcessedPhoto(
        PhotoRole.ALTERNATIVE, 2, "kuva.jpg", "b" * 64, 10, width=800, height=600
    )
    report = demote_recurring(PhotoReport(photos=(logo, photo)), lambda sha: sha == "a" * 64)
    assert [p.role for p in report.photos] == [PhotoRole.SIGNATURE, PhotoRole.MAIN]


def test_demote_recurring_leaves_a_report_without_recurrence_alone() -> None:
    from ingest.photos.process import demote_recurring
    from ingest.photos.result import PhotoReport, PhotoRole, ProcessedPhoto

    photo = ProcessedPhoto(PhotoRole.MAIN, 1, "kuva.jpg", "b" * 64, 10, width=800, height=600)
    report = PhotoReport(photos=(photo,))
    assert demote_recurring(report, lambda _sha: False) is report
