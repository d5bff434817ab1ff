"""Count, from the bytes, what Pillow would otherwise walk first: TIFF directories, JPEG scans.

Pillow counts a TIFF's frames by seeking through every image file directory, in time that grows
with the square of their number (100,000 one-pixel directories, 14 MB, took 51 s), and libjpeg
decodes every scan of a progressive JPEG however many there are, each one a pass over the whole
image (400 copies of one 95-byte refinement scan in an 8000 x 8000 image took 20 s). Both
counts are read here by walking the file's own structure, stopping one past the limit, so such
a bomb is refused in microseconds, before Pillow sees it. A structure that ends early or points
outside the file is left for Pillow to judge: this only counts.
"""

from __future__ import annotations

import struct

from ingest.photos.header import ImageRejected

# Encoders write 1 to 12 scans (libjpeg's progressive script for colour: 10; mozjpeg's: 9 to
# 12); more than this is a bomb, and 50 passes over even an 80-megapixel image take about 3 s.
MAX_JPEG_SCANS = 50

_TIFF_LAYOUTS = {
    # byte order and magic: (struct byte order, offset size, entry count size, entry size)
    b"II*\x00": ("<", 4, 2, 12),
    b"MM\x00*": (">", 4, 2, 12),
    b"II+\x00": ("<", 8, 8, 20),
    b"MM\x00+": (">", 8, 8, 20),
}
_STANDALONE_MARKERS = frozenset({0x01, 0xD8, *range(0xD0, 0xD8)})


def tiff_directories(payload: bytes, stop_after: int) -> int:
    """How many image file directories the TIFF chains together (at most `stop_after` + 1)."""
    layout = _TIFF_LAYOUTS.get(payload[:4])
    if layout is None:
        return 0
    order, offset_size, count_size, entry_size = layout
    offset_format = order + ("I" if offset_size == 4 else "Q")
    count_format = order + ("H" if count_size == 2 else "Q")
    first_at = 4 if offset_size == 4 else 8
    (offset,) = struct.unpack_from(offset_format, payload, first_at)
    seen: set[int] = set()
    while offset and offset not in seen and len(seen) <= stop_after:
        if offset + count_size > len(payload):
            break
        seen.add(offset)
        (entries,) = struct.unpack_from(count_format, payload, offset)
        next_at = offset + count_size + entries * entry_size
        if next_at + offset_size > len(payload):
            break
        (offset,) = struct.unpack_from(offset_format, payload, next_at)
    return len(seen)


def _scan_end(payload: bytes, position: int) -> int:
    """Where the entropy-coded data starting at `position` ends: at the next real marker."""
    while True:
        position = payload.find(b"\xff", position)
        if position < 0 or position + 1 >= len(payload):
            return len(payload)
        following = payload[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
            continue
        return position


def jpeg_scans(payload: bytes, stop_after: int) -> int:
    """How many scans (SOS segments) the first JPEG image in `payload` has, up to `stop_after`
    + 1; an MPO's later pictures are not counted, only the first is ever decoded."""
    if not payload.startswith(b"\xff\xd8"):
        return 0
    scans, position = 0, 2
    while scans <= stop_after and position + 1 < len(payload):
        if payload[position] != 0xFF:
            break
        marker = payload[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == 0xD9:
            break
        if marker in _STANDALONE_MARKERS:
            position += 2
            continue
        if position + 4 > len(payload):
            break
        segment_end = position + 2 + int.from_bytes(payload[position + 2 : position + 4], "big")
        if marker == 0xDA:
            scans += 1
            segment_end = _scan_end(payload, segment_end)
        position = segment_end
    return scans


def check_structure(payload: bytes, max_frames: int) -> None:
    """Refuse a TIFF of more than `max_frames` directories or a JPEG of too many scans."""
    directories = tiff_directories(payload, stop_after=max_frames)
    if directories > max_frames:
        raise ImageRejected(f"liikaa kehyksiä (yli {max_frames})")
    scans = jpeg_scans(payload, stop_after=MAX_JPEG_SCANS)
    if scans > MAX_JPEG_SCANS:
        raise ImageRejected(
            f"liikaa JPEG-pyyhkäisyjä (yli {MAX_JPEG_SCANS}), mahdollinen pakkauspommi"
        )
