"""The set's photos: four calm flat scenes standing in for photographs, and their rows.

The exported photo files are named by their bytes, so the derivatives are checked in
(`tests/golden/publish/photos/`) and a new JPEG encoder cannot change the golden files.
`make_photos()` makes them again (`scripts/refresh-golden --photos`), only when a scene changes.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw

from store.files import BlobStore
from store.models import Photo

PHOTOS = Path(__file__).resolve().parents[1] / "golden" / "publish" / "photos"
THUMBNAIL = 400
PHOTO_SIZES = {
    "asukasilta": (1600, 1067),
    "kartta": (1600, 1000),
    "tyopaja": (1600, 1200),
    "luonnos": (1200, 1600),
}
# Wall, floor and accent of each scene.
PALETTES = {
    "asukasilta": ((236, 226, 208), (181, 152, 120), (70, 96, 140)),
    "kartta": ((226, 236, 228), (160, 190, 170), (30, 90, 160)),
    "tyopaja": ((222, 230, 240), (120, 140, 170), (200, 110, 60)),
    "luonnos": ((214, 222, 232), (90, 100, 120), (245, 245, 240)),
}
Colour = tuple[int, int, int]
Drawing = Callable[[ImageDraw.ImageDraw, tuple[int, int], Colour, random.Random], None]


def _map(draw: ImageDraw.ImageDraw, size: tuple[int, int], _: Colour, rng: random.Random) -> None:
    """Streets and three bus lines with their stops."""
    width, height = size
    for _street in range(14):
        x = rng.randrange(width)
        draw.line((x, 0, x + rng.randrange(-300, 300), height), fill=(250, 250, 250), width=9)
    for colour in ((30, 90, 160), (200, 70, 60), (40, 140, 80)):
        points = [(rng.randrange(width), rng.randrange(height)) for _point in range(6)]
        draw.line(points, fill=colour, width=14, joint="curve")
        for x, y in points:
            draw.ellipse(
                (x - 18, y - 18, x + 18, y + 18), fill=(255, 255, 255), outline=colour, width=7
            )


def _laptop(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], accent: Colour, rng: random.Random
) -> None:
    """A draft on a laptop's screen, and a coffee cup."""
    width, height = size
    left, top = width // 8, height // 5
    draw.rectangle((left, top, width - left, height * 3 // 5), fill=(40, 44, 52))
    draw.rectangle((left + 20, top + 20, width - left - 20, height * 3 // 5 - 20), fill=accent)
    for row in range(14):
        y = top + 60 + row * 34
        draw.rectangle(
            (left + 60, y, left + 60 + rng.randrange(300, width - 2 * left - 120), y + 12),
            fill=(150, 160, 175),
        )
    draw.polygon(
        [
            (left - 40, height * 3 // 5),
            (width - left + 40, height * 3 // 5),
            (width - left + 90, height * 3 // 5 + 60),
            (left - 90, height * 3 // 5 + 60),
        ],
        fill=(70, 74, 84),
    )
    draw.ellipse(
        (width * 3 // 4, height * 3 // 4, width * 3 // 4 + 160, height * 3 // 4 + 110),
        fill=(250, 250, 250),
    )


def _people(
    draw: ImageDraw.ImageDraw, size: tuple[int, int], accent: Colour, rng: random.Random
) -> None:
    """People at tables before a screen."""
    width, height = size
    draw.rectangle((width // 3, height // 8, width * 2 // 3, height // 2), fill=accent)
    for _person in range(9):
        x, y = rng.randrange(width), rng.randrange(height // 2, height * 5 // 6)
        r = rng.randrange(width // 40, width // 22)
        colour = (rng.randrange(60, 220), rng.randrange(60, 200), rng.randrange(60, 200))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(224, 186, 160))
        draw.rounded_rectangle((x - 2 * r, y + r, x + 2 * r, y + 5 * r), radius=r, fill=colour)
    draw.rectangle((0, height * 5 // 6, width, height), fill=(150, 120, 90))


DRAWINGS: dict[str, Drawing] = {"kartta": _map, "luonnos": _laptop}


def _scene(name: str) -> Image.Image:
    """The scene at its web size (seeded: always the same pixels)."""
    size = PHOTO_SIZES[name]
    rng = random.Random(name)  # test imagery, not cryptography
    wall, floor, accent = PALETTES[name]
    image = Image.new("RGB", size, wall)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, size[1] * 2 // 3, size[0], size[1]), fill=floor)
    DRAWINGS.get(name, _people)(draw, size, accent, rng)
    return image


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def make_photos() -> None:
    """(Re)make the checked-in derivatives: web size and a 400 px thumbnail of each scene."""
    PHOTOS.mkdir(parents=True, exist_ok=True)
    for name in PHOTO_SIZES:
        web = _scene(name)
        thumb = web.copy()
        thumb.thumbnail((THUMBNAIL, THUMBNAIL), Image.Resampling.LANCZOS)
        (PHOTOS / f"{name}-web.jpg").write_bytes(_jpeg(web))
        (PHOTOS / f"{name}-thumb.jpg").write_bytes(_jpeg(thumb))


def photo_row(blobs: BlobStore, scene: str, alt: str, credit: str) -> Photo:
    """The main photo of a practice: the scene's checked-in derivatives put in the blob store,
    described as an original twice their size."""
    width, height = PHOTO_SIZES[scene]
    return Photo(
        role="main",
        sha256=scene.ljust(64, "0")[:64],
        filename=f"{scene}.jpg",
        image_format="JPEG",
        width=width * 2,
        height=height * 2,
        web_path=blobs.put_derivative((PHOTOS / f"{scene}-web.jpg").read_bytes(), "jpg"),
        web_width=width,
        web_height=height,
        thumbnail_path=blobs.put_derivative((PHOTOS / f"{scene}-thumb.jpg").read_bytes(), "jpg"),
        alt_text=alt,
        credit=credit,
    )
