"""Builds hostile raw messages for the hostile-input suite: each function returns one message.

Every message looks like a submission from a public servant (a vm.fi sender, a subject, a line of
text) so that it travels the whole pipeline, and carries one kind of trouble: sheer size, sheer
count, nesting, lying or broken encodings, names that try to leave a directory, and bombs that
are small on the wire and huge once expanded. Bytes are written by hand (CRLF line ends), not by
`email.message`, so a 50 MB message is built in a fraction of a second.
"""

from __future__ import annotations

import base64
import struct
import zlib
from collections.abc import Callable

MB = 1024 * 1024
GIB = 1024 * MB
CRLF = b"\r\n"
SENDER = b"Maija Virtanen <maija.virtanen@vm.fi>"
TEXT = "Mitä tehtiin ja miksi?\r\nUudistimme lomakkeen selkokieliseksi.\r\n".encode()


def _headers(subject: str, extra: bytes = b"") -> bytes:
    lines = [
        b"From: " + SENDER,
        b"To: avoinhallinto@vm.fi",
        b"Subject: " + subject.encode("ascii"),
        b"Date: Mon, 02 Nov 2026 09:30:00 +0200",
        b"Message-ID: <hostile-" + subject.replace(" ", "-").encode("ascii") + b"@vm.fi>",
        b"MIME-Version: 1.0",
    ]
    return CRLF.join(lines) + CRLF + extra


def _part(content_type: str, body: bytes, extra: str = "") -> bytes:
    head = f"Content-Type: {content_type}\r\n{extra}"
    return head.encode("utf-8", "surrogateescape") + CRLF + body


def _base64_part(content_type: str, payload: bytes, filename: str = "") -> bytes:
    disposition = f'Content-Disposition: attachment; filename="{filename}"\r\n' if filename else ""
    body = base64.encodebytes(payload).replace(b"\n", CRLF)
    return _part(content_type, body, "Content-Transfer-Encoding: base64\r\n" + disposition)


def _multipart(subject: str, parts: list[bytes], boundary: str = "hostile-b0und") -> bytes:
    head = _headers(subject, f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n'.encode())
    delimiter = b"--" + boundary.encode("ascii")
    chunks = [head, CRLF]
    for part in parts:
        chunks += [delimiter, CRLF, part, CRLF]
    chunks += [delimiter, b"--", CRLF]
    return b"".join(chunks)


def _text_part() -> bytes:
    return _part("text/plain; charset=utf-8", TEXT, "Content-Transfer-Encoding: 8bit\r\n")


# --- size and count ----------------------------------------------------------------------------


def huge_body(size: int = 50 * MB) -> bytes:
    """A single text/plain body of `size` bytes of Finnish prose."""
    line = "Hyvä käytäntö: avoin data ja selkokieli yhdessä, päivä päivältä.\r\n".encode()
    body = TEXT + line * (size // len(line))
    head = _headers("huge body", b"Content-Type: text/plain; charset=utf-8\r\n")
    return head + b"Content-Transfer-Encoding: 8bit\r\n" + CRLF + body


def many_attachments(count: int = 1000) -> bytes:
    """`count` small attachments: past the part limit, every one must still cost little."""
    parts = [_text_part()]
    parts += [_base64_part("application/octet-stream", b"x" * 64, f"liite{n}.bin")
              for n in range(count)]  # fmt: skip
    return _multipart("many attachments", parts)


def huge_header(size: int = 10 * MB) -> bytes:
    """A 10 MB Subject, folded into lines as a client would send a long header."""
    folded = CRLF.join([b" " + b"otsikko" * 10] * (size // 71))
    head = _headers("huge header").replace(b"Subject: huge header", b"Subject: huge" + folded)
    return head + b"Content-Type: text/plain; charset=utf-8\r\n" + CRLF + TEXT


def nested_forwards(depth: int = 100) -> bytes:
    """A message/rfc822 inside a message/rfc822, `depth` levels deep."""
    inner = _headers("level 0", b"Content-Type: text/plain; charset=utf-8\r\n") + CRLF + TEXT
    for level in range(1, depth + 1):
        head = _headers(f"level {level}", b"Content-Type: message/rfc822\r\n")
        inner = head + CRLF + inner
    return inner.replace(b"Subject: level " + str(depth).encode(), b"Subject: nested forwards")


# --- lies and traps in names and encodings ----------------------------------------------------


def hostile_filenames() -> bytes:
    """Names that climb out of directories, hide control characters or are nothing at all."""
    names = [
        "../../../etc/passwd",
        "..\\..\\windows\\system32\\kuva.jpg",
        "/absolute/path.pdf",
        "kuva\x00.jpg.exe",
        "\x1b[31mpunainen\x1b[0m.txt",
        "rivi\r\nvaihto.doc",
        "..",
        "",
        "\u202egpj.exe",
        "a" * 5000 + ".pdf",
    ]
    parts = [_text_part()]
    for name in names:
        parts.append(_base64_part("application/octet-stream", b"data", name))
    encoded = "=?utf-8?b?" + base64.b64encode("../../ä\x00.txt".encode()).decode() + "?="
    parts.append(_base64_part("text/plain", b"data", encoded))
    parts.append(
        _part(
            "application/octet-stream",
            b"data",
            "Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fetc%2Fshadow\r\n",
        )
    )
    return _multipart("hostile filenames", parts)


def bad_charsets() -> bytes:
    """Parts and encoded words in unknown, invalid, lying and dangerous charsets."""
    text = "Hyvää päivää, käytäntö".encode("cp1252")
    charsets = ["x-unknown", "utf8mb4", "unicode_escape", "utf-7", "idna", "\x00bad", "base64",
                "utf-16", "rot13", 'us-ascii"; charset="cp1252', "a" * 500]  # fmt: skip
    parts = [_text_part()]
    for charset in charsets:
        parts.append(_part(f'text/plain; charset="{charset}"', text + CRLF))
    parts.append(_part("text/html; charset=x-mac-klingon", b"<p>" + text + b"</p>"))
    subject = "=?x-unknown?q?k=E4ytt=F6?= =?utf-8?b?!!!notbase64?= =?unicode_escape?q?\\x41?="
    raw = _multipart("bad charsets", parts)
    return raw.replace(b"Subject: bad charsets", b"Subject: bad charsets " + subject.encode())


def nul_bytes() -> bytes:
    """NUL bytes in a header, a body, a charset name and a file name."""
    parts = [
        _part("text/plain; charset=utf-8", b"Mit\x00\xc3\xa4 tehtiin\x00?\r\n" + TEXT),
        _part("text/html; charset=utf-8", b"<p>Tekstiss\x00\xc3\xa4 &#0; nolla</p>"),
        _part("text/plain; charset=utf\x00-8", b"nolla\x00"),
        _base64_part("image/jpeg", b"\x00" * 4096, "nolla\x00.jpg"),
    ]
    raw = _multipart("nul bytes", parts)
    return raw.replace(b"Subject: nul bytes", b"Subject: nul\x00 bytes\x00")


# --- bombs -------------------------------------------------------------------------------------


def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from already deflated members: (name, deflated data, crc, size, method)."""
    local: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data, crc, size, method in members:
        encoded = name.encode()
        fields = (20, 0, method, 0, 0x21, crc, len(data), size, len(encoded), 0)
        header = struct.pack("<4s5HIIIHH", b"PK\x03\x04", *fields) + encoded
        central.append(
            struct.pack("<4s6HIIIHHHHHII", b"PK\x01\x02", 20, *fields[:-1], 0, 0, 0, 0, 0, offset)
            + encoded
        )
        local.append(header + data)
        offset += len(header) + len(data)
    directory = b"".join(central)
    end = struct.pack("<4s4HIIH", b"PK\x05\x06", 0, 0, len(members), len(members),
                      len(directory), offset, 0)  # fmt: skip
    return b"".join(local) + directory + end


def _deflated_zeros(size: int) -> tuple[bytes, int]:
    """Raw deflate of `size` zero bytes and its CRC, built from one repeated flushed block."""
    chunk = b"\0" * (16 * MB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    data = block * (size // len(chunk)) + compressor.flush()
    crc = 0
    for _ in range(size // len(chunk)):
        crc = zlib.crc32(chunk, crc)
    return data, crc


def zip_bomb_docx(expanded: int = GIB) -> bytes:
    """A .docx of a few MB whose three members expand to 3 x `expanded` bytes."""
    data, crc = _deflated_zeros(expanded)
    types = b'<?xml version="1.0"?><Types/>'
    members = [("[Content_Types].xml", types, zlib.crc32(types), len(types), 0)]
    for name in ("word/document.xml", "word/styles.xml", "word/media/image1.png"):
        members.append((name, data, crc, expanded, 8))
    docx = _zip(members)
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return _multipart("zip bomb", [_text_part(), _base64_part(mime, docx, "kaytanto.docx")])


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, colour_type: int = 0, bit_depth: int = 1) -> bytes:
    """A PNG of all-zero pixels: tiny on the wire, `width` x `height` once decoded."""
    channels = {0: 1, 2: 3}[colour_type]
    row = b"\0" * (1 + (width * channels * bit_depth + 7) // 8)
    compressor = zlib.compressobj(9)
    rows_per_chunk = max(1, MB // len(row))
    body = [compressor.compress(row * rows_per_chunk) for _ in range(height // rows_per_chunk)]
    body.append(compressor.compress(row * (height % rows_per_chunk)) + compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    chunks = png_chunk(b"IHDR", header) + png_chunk(b"IDAT", b"".join(body))
    return b"\x89PNG\r\n\x1a\n" + chunks + png_chunk(b"IEND", b"")


def png_bomb() -> bytes:
    """A 40,000 x 40,000 PNG (1.6 gigapixels) of well under a megabyte."""
    image = png(40_000, 40_000)
    return _multipart("png bomb", [_text_part(), _base64_part("image/png", image, "kuva.png")])


def png_at_the_limit() -> bytes:
    """A 8,000 x 8,000 colour PNG: within the pixel limit, so it really is decoded."""
    image = png(8_000, 8_000, colour_type=2, bit_depth=8)
    return _multipart("png at limit", [_text_part(), _base64_part("image/png", image, "k.png")])


def pdf_many_pages(pages: int = 20_000) -> bytes:
    """A PDF with `pages` pages that all show the same text stream."""
    content = b"BT /F1 12 Tf 72 720 Td (Mita tehtiin ja miksi) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (pages, b" ".join(b"%d 0 R" % (n + 5) for n in range(pages))),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R"
    objects += [page + b" /Resources << /Font << /F1 4 0 R >> >> >>"] * pages
    out = [b"%PDF-1.4\n"]
    offsets = []
    size = len(out[0])
    for number, body in enumerate(objects, start=1):
        offsets.append(size)
        chunk = b"%d 0 obj\n%s\nendobj\n" % (number, body)
        out.append(chunk)
        size += len(chunk)
    xref = [b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)]
    xref += [b"%010d 00000 n \n" % offset for offset in offsets]
    trailer = b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
    out += [*xref, trailer % (len(objects) + 1, size)]
    pdf = b"".join(out)
    return _multipart("pdf pages", [_text_part(), _base64_part("application/pdf", pdf, "k.pdf")])


# --- HTML that costs parsers dear --------------------------------------------------------------


def _html_message(subject: str, html: str) -> bytes:
    parts = [
        _part("text/plain; charset=utf-8", b"Katso HTML.\r\n"),
        _base64_part("text/html; charset=utf-8", html.encode()).replace(
            b"Content-Disposition", b"X-Ignored"
        ),
    ]
    return _multipart(subject, parts).replace(b"multipart/mixed", b"multipart/alternative")


def deep_html(depth: int = 100_000) -> bytes:
    """Inline elements nested `depth` deep around the text."""
    html = "<b><i><span>" * (depth // 3) + "Mitä tehtiin?" + "</span></i></b>" * (depth // 3)
    return _html_message("deep html", f"<html><body>{html}</body></html>")


def nested_divs(depth: int = 5000) -> bytes:
    """`depth` nested <div> blocks, each with a line of text."""
    html = "".join(f"<div>rivi {n}" for n in range(depth)) + "</div>" * depth
    return _html_message("nested divs", f"<html><body>{html}</body></html>")


def outlook_table(cells: int = 100_000) -> bytes:
    """Outlook-style HTML: one table of `cells` cells with MsoNormal paragraphs inside."""
    cell = '<td style="padding:0cm"><p class="MsoNormal"><span>solu</span></p></td>'
    rows = "".join("<tr>" + cell * 10 + "</tr>" for _ in range(cells // 10))
    html = f'<html><body><p class="MsoListParagraph">· Mitä tehtiin?</p><table>{rows}</table>'
    return _html_message("outlook table", html + "</body></html>")


CASES: dict[str, Callable[[], bytes]] = {
    "huge_body": huge_body,
    "many_attachments": many_attachments,
    "huge_header": huge_header,
    "nested_forwards": nested_forwards,
    "hostile_filenames": hostile_filenames,
    "bad_charsets": bad_charsets,
    "nul_bytes": nul_bytes,
    "zip_bomb_docx": zip_bomb_docx,
    "png_bomb": png_bomb,
    "png_at_the_limit": png_at_the_limit,
    "pdf_many_pages": pdf_many_pages,
    "deep_html": deep_html,
    "nested_divs": nested_divs,
    "outlook_table": outlook_table,
}
