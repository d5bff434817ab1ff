"""Keeps what the MIME parser reads under `limits.max_parsed_bytes` by shortening text parts.

The parsers hold about a dozen copies of what they read, so a message is never parsed past the
limit. Cutting the whole message at the limit would lose every part after the cut: a photo
sent after a 20 MB text body would vanish. So the large text parts themselves are shortened,
each at a line end, largest first, until the message fits; the parts after them stay whole.
Only when that cannot make it fit (no delimited text part, or the rest alone is too large) is the
message cut at the limit. What is cut away stays in the archived raw message.
"""

from __future__ import annotations

import email.policy
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from email.parser import BytesHeaderParser

from ingest.bigparts import MAX_PART_HEADER_BYTES, boundaries, boundary_params, delimiter_lines


@dataclass(frozen=True, slots=True)
class _TextBody:
    start: int
    end: int


def _part_body(raw: bytes, line_start: int, next_delimiter: int) -> _TextBody | None:
    """The body span of a text leaf part starting after the delimiter at `line_start`."""
    part_start = raw.find(b"\n", line_start) + 1
    if part_start <= 0 or part_start >= next_delimiter:
        return None
    window = raw[part_start : min(next_delimiter, part_start + MAX_PART_HEADER_BYTES)]
    if window.startswith((b"\n", b"\r\n")):
        header_end = 0
    else:
        ends = [i for i in (window.find(b"\n\n"), window.find(b"\n\r\n")) if i >= 0]
        if not ends:
            return None
        header_end = min(ends) + 1
    headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(window[:header_end])
    if headers.get_content_maintype() != "text":
        return None
    body_start = raw.find(b"\n", part_start + header_end) + 1
    return _TextBody(body_start, next_delimiter) if 0 < body_start < next_delimiter else None


def _text_bodies(raw: bytes, params: Sequence[int]) -> list[_TextBody]:
    starts: list[tuple[int, bool]] = []
    for boundary in boundaries(raw, params):
        starts.extend(delimiter_lines(raw, boundary))
    starts.sort()
    bodies = []
    for (line_start, closing), (next_start, _) in itertools.pairwise(starts):
        if not closing:
            body = _part_body(raw, line_start, next_start)
            if body is not None:
                bodies.append(body)
    return bodies


def cut_text_parts(raw: bytes, limit: int, params: Sequence[int] | None = None) -> bytes | None:
    """`raw` with its largest text parts shortened until it is at most `limit` bytes, or None.

    Each shortened body ends at a line end, so quoted-printable and base64 text stays decodable.
    """
    excess = len(raw) - limit
    if excess <= 0:
        return raw
    bodies = sorted(
        _text_bodies(raw, boundary_params(raw) if params is None else params),
        key=lambda body: body.start - body.end,
    )
    cuts: list[tuple[int, int]] = []
    for body in bodies:
        if excess <= 0:
            break
        keep = max(0, body.end - body.start - excess)
        cut_at = raw.rfind(b"\n", body.start, body.start + keep) + 1 or body.start
        if cut_at < body.end:
            cuts.append((cut_at, body.end))
            excess -= body.end - cut_at
    if excess > 0:
        return None
    pieces, cursor = [], 0
    for start, end in sorted(cuts):
        pieces.append(raw[cursor:start])
        cursor = end
    pieces.append(raw[cursor:])
    return b"".join(pieces)


def fit_parse_limit(
    raw: bytes, limit: int, params: Sequence[int] | None = None
) -> tuple[bytes, list[str]]:
    """`raw` made to fit `limit` bytes (text parts shortened, else cut whole), and the defect."""
    if len(raw) <= limit:
        return raw, []
    shortened = cut_text_parts(raw, limit, params)
    if shortened is not None:
        return shortened, [
            f"message text too large to read whole ({len(raw)} bytes after its large "
            f"attachments, limits.max_parsed_bytes = {limit}); its longest text parts were "
            f"shortened by {len(raw) - len(shortened)} bytes, every other part kept"
        ]
    end = raw.rfind(b"\n", 0, limit) + 1 or limit
    return raw[:end], [
        f"message text too large to read whole ({len(raw)} bytes after its large attachments, "
        f"limits.max_parsed_bytes = {limit}); only the first {end} bytes were read"
    ]
