"""The five photo review rules, each with a hit and a miss."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.photos.result import PhotoReport, PhotoRole, ProcessedPhoto
from ingest.rules.base import RuleContext
from ingest.rules.location_removed import LocationRemoved
from ingest.rules.no_photo import NoPhoto
from ingest.rules.only_signature_images import OnlySignatureImages
from ingest.rules.photo_rejected import PhotoRejected
from ingest.rules.photo_too_small import PhotoTooSmall
from ingest.understand.result import Understanding
from tests.mail import parsed_message


def photo(
    role: PhotoRole,
    name: str = "kuva.jpg",
    size: tuple[int, int] = (4000, 3000),
    *,
    reason: str = "",
    had_location: bool = False,
) -> ProcessedPhoto:
    return ProcessedPhoto(
        role=role,
        attachment_index=0,
        filename=name,
        sha256="ab" * 32,
        byte_size=1,
        width=size[0],
        height=size[1],
        reject_reason=reason,
        had_location=had_location,
    )


def context(*photos: ProcessedPhoto) -> RuleContext:
    return RuleContext(
        message=parsed_message(), understanding=Understanding(), photos=PhotoReport(photos)
    )


def test_no_photo_flags_draft_without_main() -> None:
    flag = NoPhoto().check(context(photo(PhotoRole.SIGNATURE)))
    assert flag is not None and flag.code is FlagCode.NO_PHOTO


def test_no_photo_passes_with_main() -> None:
    assert NoPhoto().check(context(photo(PhotoRole.MAIN))) is None


def test_photo_too_small_flags_small_main_with_its_sizes() -> None:
    flag = PhotoTooSmall().check(context(photo(PhotoRole.MAIN, "pieni.jpg", size=(1024, 768))))
    assert flag is not None and flag.code is FlagCode.PHOTO_TOO_SMALL
    assert flag.params == {
        "longer_side": 1024,
        "target": 1600,
        "image": "pieni.jpg",
        "width": 1024,
        "height": 768,
    }


def test_photo_too_small_passes_web_sized_main() -> None:
    assert PhotoTooSmall().check(context(photo(PhotoRole.MAIN, size=(1200, 1600)))) is None


def test_photo_too_small_ignores_missing_main() -> None:
    assert PhotoTooSmall().check(context()) is None


def test_only_signature_images_flags_logos_without_main() -> None:
    flag = OnlySignatureImages().check(context(photo(PhotoRole.SIGNATURE, "image001.png")))
    assert flag is not None and flag.code is FlagCode.ONLY_SIGNATURE_IMAGES
    assert "image001.png" in flag.params["images"]


def test_an_image_without_a_file_name_is_named_by_its_attachment_number() -> None:
    flag = OnlySignatureImages().check(context(photo(PhotoRole.SIGNATURE, "")))
    assert flag is not None and flag.params == {"images": [0]}


def test_only_signature_images_passes_when_a_main_exists() -> None:
    photos = (photo(PhotoRole.SIGNATURE), photo(PhotoRole.MAIN))
    assert OnlySignatureImages().check(context(*photos)) is None


def test_only_signature_images_passes_without_any_image() -> None:
    assert OnlySignatureImages().check(context()) is None


def test_photo_rejected_lists_file_and_reason() -> None:
    bad = photo(PhotoRole.REJECTED, "pommi.png", reason="liian suuri kuva")
    flag = PhotoRejected().check(context(bad, photo(PhotoRole.MAIN)))
    assert flag is not None and flag.code is FlagCode.PHOTO_REJECTED
    assert flag.params == {
        "count": 1,
        "images": [{"image": "pommi.png", "reason": "liian suuri kuva"}],
    }


def test_photo_rejected_passes_without_rejections() -> None:
    assert PhotoRejected().check(context(photo(PhotoRole.MAIN))) is None


def test_location_removed_flags_photo_with_gps() -> None:
    flag = LocationRemoved().check(context(photo(PhotoRole.MAIN, had_location=True)))
    assert flag is not None and flag.code is FlagCode.LOCATION_REMOVED


def test_location_removed_passes_without_gps() -> None:
    assert LocationRemoved().check(context(photo(PhotoRole.MAIN))) is None
