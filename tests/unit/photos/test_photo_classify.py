"""Signature and logo detection, signal by signal."""

from __future__ import annotations

import pytest

from core.config import PhotoSettings
from ingest.message import Attachment
from ingest.photos.classify import Verdict, cid_references, classify, is_outlook_inline_name
from ingest.photos.header import ImageHeader

BIG = 100_000


def header(width: int, height: int, *, from_camera: bool = False) -> ImageHeader:
    return ImageHeader("PNG", width, height, 1, 1, had_location=False, from_camera=from_camera)


def verdict(
    size: tuple[int, int],
    *,
    filename: str = "photo.png",
    content_id: str = "",
    html: str = "",
    byte_size: int = BIG,
    from_camera: bool = False,
    recurring: bool = False,
) -> Verdict:
    part = Attachment(0, "image/png", filename, b"\x00" * byte_size, content_id=content_id)
    return classify(
        part,
        header(*size, from_camera=from_camera),
        "ab" * 32,
        referenced_cids=cid_references(html),
        settings=PhotoSettings(),
        is_recurring=lambda _sha: recurring,
    )


def test_cid_references_are_normalised() -> None:
    html = "<img src=\"cid:Logo%40X\"><img src='cid:<b@y>'>"
    assert cid_references(html) == frozenset({"logo@x", "b@y"})


@pytest.mark.parametrize("name", ["image001.png", "IMAGE002.JPG", "image003.gif"])
def test_outlook_inline_names_are_recognised(name: str) -> None:
    assert is_outlook_inline_name(name)


def test_ordinary_name_is_not_outlook_inline() -> None:
    assert not is_outlook_inline_name("image1.png")


def test_tiny_image_is_signature() -> None:
    assert verdict((200, 80)).is_signature


def test_tiny_file_is_signature() -> None:
    assert verdict((1000, 800), byte_size=9000).is_signature


def test_recurring_image_is_signature_even_from_camera() -> None:
    assert verdict((4000, 3000), from_camera=True, recurring=True).is_signature


def test_small_image_shown_by_cid_is_signature() -> None:
    assert verdict((600, 400), content_id="<logo@x>", html='<img src="cid:logo@x">').is_signature


def test_wide_banner_shown_by_cid_is_signature() -> None:
    html = '<img src="cid:banner@x">'
    assert verdict((1500, 300), content_id="<banner@x>", html=html).is_signature


def test_big_photo_pasted_inline_by_outlook_stays_a_photo() -> None:
    assert not verdict((2000, 1500), filename="image001.jpg").is_signature


def test_camera_photo_shown_inline_stays_a_photo() -> None:
    html = '<img src="cid:p@x">'
    assert not verdict((700, 500), content_id="<p@x>", html=html, from_camera=True).is_signature


def test_attached_medium_image_is_a_photo() -> None:
    assert not verdict((600, 400)).is_signature
