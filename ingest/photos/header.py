"""Open image bytes with Pillow under our limits and read the facts we need before decoding.

Pillow's decompression-bomb check runs inside `Image.open` against the process-wide
`Image.MAX_IMAGE_PIXELS`, and warns (rather than fails) between one and two times that limit.
`pillow_limits` sets the limit from our settings for the duration of one image, turns the
warning into an error and records other Pillow warnings instead of letting them escape, then
restores everything. It holds a lock because both the limit and the warning filters are global.
Only the formats we support are offered to `Image.open`, so no other plugin ever parses the bytes.
"""

from __future__ import annotations

import io
import logging
import struct
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image, ImageFile, UnidentifiedImageError

log = logging.getLogger(__name__)

# Pillow format names we accept; MPO is how Pillow names multi-picture JPEGs from many phones.
SUPPORTED_FORMATS = ("JPEG", "MPO", "PNG", "GIF", "WEBP", "TIFF", "BMP", "HEIF")
# The plugins offered to Image.open; the JPEG plugin itself returns MPO images when it sees one.
_OPEN_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP", "HEIF")
_FORMAT_NAMES = {"MPO": "JPEG"}

_TAG_ORIENTATION = 0x0112
_TAG_MAKE = 0x010F
_TAG_MODEL = 0x0110
_TAG_DATETIME_ORIGINAL = 0x9003
_IFD_EXIF = 0x8769
_IFD_GPS = 0x8825

# Errors Pillow and its plugins raise for broken metadata; metadata is never worth a rejection.
METADATA_ERRORS = (
    OSError,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    SyntaxError,
    EOFError,
    struct.error,
)

_limits_lock = threading.RLock()
_heif_registered = False


class ImageRejected(Exception):
    """Raised inside photo processing when an image cannot be used; `reason` is for the draft."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ImageHeader:
    """What the header says, before any pixel is decoded; sizes are upright (EXIF applied)."""

    image_format: str
    width: int
    height: int
    orientation: int
    frames: int
    had_location: bool
    from_camera: bool

    @property
    def max_side(self) -> int:
        """The longer side in pixels."""
        return max(self.width, self.height)


def _register_heif() -> None:
    """Teach Pillow to open HEIC/HEIF, once, and only when a message first needs it."""
    global _heif_registered
    if not _heif_registered:
        import pillow_heif

        pillow_heif.register_heif_opener()
        _heif_registered = True


@contextmanager
def pillow_limits(max_pixels: int) -> Iterator[None]:
    """Scope Pillow's pixel limit to `max_pixels` and make every bomb warning an error."""
    with _limits_lock, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        previous = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = max_pixels
        try:
            yield
        finally:
            Image.MAX_IMAGE_PIXELS = previous
            for warning in caught:
                log.debug("pillow warning while reading an image: %s", warning.message)


def open_image(payload: bytes, sniffed: str) -> ImageFile.ImageFile:
    """Open `payload` lazily (header only) with the supported plugins; call inside pillow_limits."""
    if sniffed == "HEIF":
        _register_heif()
    formats = [f for f in _OPEN_FORMATS if f != "HEIF" or _heif_registered]
    try:
        image = Image.open(io.BytesIO(payload), formats=formats)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        limit = Image.MAX_IMAGE_PIXELS
        raise ImageRejected(
            f"liian suuri kuva (yli {limit} pikseliä, mahdollinen pakkauspommi)"
        ) from exc
    except UnidentifiedImageError as exc:
        if sniffed:
            raise ImageRejected(f"kuvamuotoa {sniffed} ei tueta tai tiedosto on rikki") from exc
        raise ImageRejected("tiedosto ei ole tunnistettava kuva") from exc
    except METADATA_ERRORS as exc:
        raise ImageRejected(f"kuvan otsake on rikki: {exc}") from exc
    if not isinstance(image, ImageFile.ImageFile):  # pragma: no cover - Pillow always returns one
        raise ImageRejected("tiedosto ei ole tunnistettava kuva")
    return image


def _has_location(exif: Image.Exif, xmp_values: tuple[object, ...]) -> bool:
    if exif.get_ifd(_IFD_GPS):
        return True
    for value in xmp_values:
        text = value.encode("utf-8", "replace") if isinstance(value, str) else value
        if isinstance(text, bytes) and b"GPSLatitude" in text:
            return True
    return False


def read_header(image: ImageFile.ImageFile) -> ImageHeader:
    """Read format, upright size, orientation, frame count and location facts."""
    if image.format not in SUPPORTED_FORMATS:  # pragma: no cover - guarded by open_image
        raise ImageRejected(f"kuvamuotoa {image.format} ei tueta")
    orientation, had_location, from_camera = 1, False, False
    try:
        exif = image.getexif()
        raw_orientation = exif.get(_TAG_ORIENTATION, 1)
        orientation = raw_orientation if raw_orientation in range(1, 9) else 1
        xmp_values = (image.info.get("xmp"), image.info.get("XML:com.adobe.xmp"))
        had_location = _has_location(exif, xmp_values)
        exif_ifd = exif.get_ifd(_IFD_EXIF)
        from_camera = bool(
            exif.get(_TAG_MAKE) or exif.get(_TAG_MODEL) or exif_ifd.get(_TAG_DATETIME_ORIGINAL)
        )
    except METADATA_ERRORS as exc:
        log.debug("unreadable image metadata ignored: %s", exc)
    width, height = image.size
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    try:
        frames = int(getattr(image, "n_frames", 1))
    except METADATA_ERRORS as exc:
        raise ImageRejected(f"kuvan kehyksiä ei voi lukea: {exc}") from exc
    fmt = str(image.format)
    return ImageHeader(
        image_format=_FORMAT_NAMES.get(fmt, fmt),
        width=width,
        height=height,
        orientation=orientation,
        frames=frames,
        had_location=had_location,
        from_camera=from_camera,
    )
