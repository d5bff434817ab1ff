"""Hostile messages of the second round (issue 16): bombs that pass every size limit.

Each is small on the wire and within the zip, pixel and byte limits, yet cost minutes or
gigabytes before: an .odt or .docx of millions of empty paragraphs, a TIFF of tens of thousands
of chained directories, a progressive JPEG whose one refinement scan repeats hundreds of times,
a PDF whose 1 MB content stream expands to 1 GiB (fast only with pypdf's own output limits),
and a message over the size limit for `practices import`. Sizes are just large enough that the
code before the fix broke the suite's bounds (10 s, 500 MB) with each.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable

from PIL import Image

from tests.fixtures.labelled.builders import pdf_from_objects
from tests.hostile.generator import (
    CRLF,
    MB,
    TEXT,
    _base64_part,
    _headers,
    _multipart,
    _text_part,
)


def _office_zip(members: list[tuple[str, bytes]], expanded: int) -> bytes:
    """A zip of `members` (deflated, "mimetype" stored) plus a stored member of random bytes, so
    the whole archive stays under the compression-ratio limit however much its XML expands."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method, compresslevel=9)
        noise = random.Random(16).randbytes(expanded // 60)
        archive.writestr("media/kohina.bin", noise, compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def odt_element_bomb(size: int = 10 * MB) -> bytes:
    """An .odt whose content.xml is `size` bytes of empty paragraphs (millions of elements)."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        b"<office:body><office:text><text:p>Mit\xc3\xa4 tehtiin ja miksi?</text:p>"
    )
    tail = b"</office:text></office:body></office:document-content>"
    content = head + b"<text:p/>" * (size // 9) + tail
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        b'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="/" '
        b'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        b"</manifest:manifest>"
    )
    odt = _office_zip(
        [
            ("mimetype", b"application/vnd.oasis.opendocument.text"),
            ("content.xml", content),
            ("META-INF/manifest.xml", manifest),
        ],
        len(content),
    )
    mime = "application/vnd.oasis.opendocument.text"
    return _multipart("odt elements", [_text_part(), _base64_part(mime, odt, "kaytanto.odt")])


def docx_element_bomb(size: int = 10 * MB) -> bytes:
    """A .docx whose word/document.xml is `size` bytes of empty paragraphs."""
    word = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    document = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="'
        + word
        + b'"><w:body><w:p><w:r><w:t>Mit\xc3\xa4 tehtiin ja miksi?</w:t></w:r></w:p>'
        + b"<w:p/>" * (size // 6)
        + b"</w:body></w:document>"
    )
    types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        b'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        b'ContentType="application/xml"/><Override PartName="/word/document.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
        b'document.main+xml"/></Types>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        b'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        b'Target="word/document.xml"/></Relationships>'
    )
    docx = _office_zip(
        [("[Content_Types].xml", types), ("_rels/.rels", rels), ("word/document.xml", document)],
        len(document),
    )
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _multipart("docx elements", [_text_part(), _base64_part(mime, docx, "kaytanto.docx")])


def tiff_ifd_chain(count: int = 50_000) -> bytes:
    """A 1x1 grey TIFF whose first IFD is followed by `count` - 1 more, each a valid frame."""
    strip_offset = 8
    entries = [  # tag, type (3 SHORT, 4 LONG), value
        (256, 3, 1), (257, 3, 1), (258, 3, 8), (259, 3, 1), (262, 3, 1),
        (273, 4, strip_offset), (277, 3, 1), (278, 3, 1), (279, 4, 1),
    ]  # fmt: skip
    ifd_size = 2 + 12 * len(entries) + 4
    first = 10  # after the header (8) and the one-byte strip, padded to an even offset
    chunks = [b"II*\x00" + struct.pack("<I", first), b"\x80\x00"]
    for n in range(count):
        body = struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            packed = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
            body += struct.pack("<HHI", tag, kind, 1) + packed
        following = first + (n + 1) * ifd_size if n + 1 < count else 0
        chunks.append(body + struct.pack("<I", following))
    tiff = b"".join(chunks)
    return _multipart("tiff ifds", [_text_part(), _base64_part("image/tiff", tiff, "kuva.tif")])


def _segments(jpeg: bytes) -> list[tuple[int, int, int]]:
    """(marker, start, end) of each segment of a JPEG; a scan runs to the next real marker."""
    found, pos = [], 2
    while jpeg[pos + 1] != 0xD9:
        marker = jpeg[pos + 1]
        end = pos + 2 + int.from_bytes(jpeg[pos + 2 : pos + 4], "big")
        if marker == 0xDA:
            end = jpeg.index(b"\xff", end)
            while jpeg[end + 1] == 0 or 0xD0 <= jpeg[end + 1] <= 0xD7:
                end = jpeg.index(b"\xff", end + 2)
        found.append((marker, pos, end))
        pos = end
    return found


def progressive_scan_bomb(copies: int = 400, side: int = 8000) -> bytes:
    """A black `side` x `side` progressive JPEG whose last refinement scan (95 bytes, yet a pass
    over every block of the image) is repeated `copies` times."""
    out = io.BytesIO()
    Image.new("L", (side, side)).save(out, "JPEG", progressive=True, quality=50)
    jpeg = out.getvalue()
    _marker, start, end = [s for s in _segments(jpeg) if s[0] == 0xDA][-1]
    bomb = jpeg[:end] + jpeg[start:end] * copies + jpeg[end:]
    return _multipart("scan bomb", [_text_part(), _base64_part("image/jpeg", bomb, "kuva.jpg")])


def oversized_header(size: int = 100 * MB) -> bytes:
    """A message whose one-line Subject alone is `size` bytes: over the size limit."""
    head = _headers("oversized").replace(b"Subject: oversized", b"Subject: " + b"a" * size)
    return head + b"Content-Type: text/plain; charset=utf-8\r\n" + CRLF + TEXT


def _zlib_zeros(size: int) -> bytes:
    """A zlib stream of `size` zero bytes, built from one repeated flushed block."""
    chunk = b"\0" * (16 * MB)
    compressor = zlib.compressobj(9)
    first = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(size // len(chunk)):
        checksum = zlib.adler32(chunk, checksum)
    final_empty_block = b"\x03\x00"
    return first + block * (size // len(chunk) - 1) + final_empty_block + checksum.to_bytes(4)


def pdf_flate_bomb(expanded: int = 1024 * MB) -> bytes:
    """A one-page PDF whose content stream is about 1 MB of FlateDecode that expands to 1 GiB."""
    stream = _zlib_zeros(expanded)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    pdf = pdf_from_objects(objects)
    return _multipart("flate bomb", [_text_part(), _base64_part("application/pdf", pdf, "k.pdf")])


CASES: dict[str, Callable[[], bytes]] = {
    "odt_element_bomb": odt_element_bomb,
    "docx_element_bomb": docx_element_bomb,
    "tiff_ifd_chain": tiff_ifd_chain,
    "progressive_scan_bomb": progressive_scan_bomb,
    "oversized_header": oversized_header,
    "pdf_flate_bomb": pdf_flate_bomb,
}
