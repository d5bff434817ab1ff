"""Extracts the text of attached documents (.docx, .odt, .pdf, .txt) for the understanding layer.

Some senders write "see attachment" and put the practice in a Word, ODT or PDF file. The kind is
sniffed from the bytes, never taken from the declared type or the name (except that a name
ending in .txt marks text). Hostile files are bounded before any parser sees them: size, zip
uncompressed size and compression ratio, PDF pages and output characters. A document that cannot
be read comes back with `error` set; nothing here raises.
"""

from __future__ import annotations

import contextlib
import io
import logging
import struct
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from core.config import LimitSettings
from ingest.charsets import decode_text
from ingest.message import Attachment

log = logging.getLogger(__name__)

# pypdf logs every malformed object it recovers from; the result (text or error) says enough.
logging.getLogger("pypdf").setLevel(logging.ERROR)

DocumentKind = Literal["docx", "odt", "pdf", "txt"]
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_COMPRESSION_RATIO = 100
_PDF_SNIFF_BYTES = 1024
_TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
# What zipfile raises on damaged or exotic archives (RuntimeError covers NotImplementedError for
# unsupported versions and compression methods, and encrypted members).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    RuntimeError,
    OSError,
    ValueError,
    KeyError,
    EOFError,
    struct.error,
    UnicodeError,
)


@dataclass(frozen=True)
class DocumentText:
    """Text of one attached document; `error` says why there is none (or why it is partial)."""

    name: str
    kind: DocumentKind
    text: str
    error: str = ""
    truncated: bool = False


def _zip_kind(payload: bytes) -> DocumentKind | None:
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return "docx"
            info = archive.getinfo("mimetype") if "mimetype" in names else None
            if info is not None and info.file_size <= len(ODT_MIMETYPE) + 8:
                return "odt" if archive.read(info).strip() == ODT_MIMETYPE else None
    except _ZIP_ERRORS:
        return None
    return None


def _kind(attachment: Attachment) -> DocumentKind | None:
    payload = attachment.payload
    if payload.startswith(b"PK\x03\x04"):
        return _zip_kind(payload)
    if b"%PDF-" in payload[:_PDF_SNIFF_BYTES]:
        return "pdf"
    named_text = attachment.filename.lower().endswith(".txt")
    if (named_text or attachment.content_type == "text/plain") and b"\x00" not in payload[:8192]:
        return "txt"
    return None


def _zip_problem(payload: bytes, limits: LimitSettings) -> str:
    """Say why a zip must not be opened (zip bomb), or "" when it is within bounds."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        return f"broken zip ({type(exc).__name__})"
    uncompressed = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    if uncompressed > limits.max_uncompressed_bytes:
        return f"zip bomb suspected: {uncompressed} bytes uncompressed"
    if uncompressed > MAX_COMPRESSION_RATIO * max(compressed, 1):
        return f"zip bomb suspected: compression ratio over {MAX_COMPRESSION_RATIO}"
    return ""


def _docx_lines(payload: bytes) -> Iterator[str]:
    import docx
    from docx.table import Table

    document = docx.Document(io.BytesIO(payload))
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            seen: set[int] = set()
            for row in block.rows:
                for cell in row.cells:
                    # A merged cell appears once per grid column it spans.
                    if id(cell._tc) not in seen:
                        seen.add(id(cell._tc))
                        yield cell.text.strip()
            yield ""
            continue
        style = block.style.name if block.style is not None else ""
        text = block.text.strip()
        if style.startswith(("Heading", "Title")):
            yield from ("", text, "")
        elif style.startswith("List") and text:
            yield f"- {text}"
        else:
            yield text


class _Discard(io.TextIOBase):
    """A text stream that drops everything written to it."""

    def write(self, text: str) -> int:
        return len(text)


def _odt_lines(payload: bytes) -> Iterator[str]:
    from odf import teletype
    from odf.opendocument import load

    # odfpy prints a whole XML part to stdout when SAX rejects it (a privacy leak and, for a
    # hostile file, megabytes of log); the damage shows as missing text instead.
    with contextlib.redirect_stdout(_Discard()):
        document = load(io.BytesIO(payload))
    # Iterative walk: a hostile file may nest lists deeper than the recursion limit.
    stack: list[tuple[Any, bool]] = [(document.text, False)]
    while stack:
        node, in_list = stack.pop()
        qname = getattr(node, "qname", None)
        if qname == (_TEXT_NS, "h"):
            yield from ("", str(teletype.extractText(node)).strip(), "")
            continue
        if qname == (_TEXT_NS, "p"):
            text = str(teletype.extractText(node)).strip()
            yield f"- {text}" if in_list and text else text
            continue
        in_list = in_list or qname == (_TEXT_NS, "list-item")
        stack.extend((child, in_list) for child in reversed(node.childNodes))


def _pdf_lines(payload: bytes, limits: LimitSettings) -> Iterator[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(payload))
    if reader.is_encrypted and not reader.decrypt(""):
        raise PermissionError("encrypted PDF")
    for page in reader.pages[: limits.max_pdf_pages]:
        yield str(page.extract_text() or "").strip()
        yield ""


def _txt_lines(payload: bytes) -> Iterator[str]:
    yield decode_text(payload, None)[0]


def _collect(lines: Iterator[str], limit: int) -> tuple[str, bool]:
    """Join lines until `limit` characters; stop early so a huge document costs no more."""
    parts: list[str] = []
    size = 0
    for line in lines:
        parts.append(line)
        size += len(line) + 1
        if size > limit:
            return "\n".join(parts)[:limit], True
    text = "\n".join(parts)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip(), False


def _extract_one(attachment: Attachment, kind: DocumentKind, limits: LimitSettings) -> DocumentText:
    name = attachment.filename
    payload = attachment.payload
    if len(payload) > limits.max_document_bytes:
        return DocumentText(name, kind, "", error="too large")
    if kind in ("docx", "odt"):
        problem = _zip_problem(payload, limits)
        if problem:
            return DocumentText(name, kind, "", error=problem)
    try:
        with warnings.catch_warnings():
            # Malformed files make parsers warn; the outcome is reported as text or error.
            warnings.simplefilter("ignore")
            if kind == "docx":
                lines = _docx_lines(payload)
            elif kind == "odt":
                lines = _odt_lines(payload)
            elif kind == "pdf":
                lines = _pdf_lines(payload, limits)
            else:
                lines = _txt_lines(payload)
            text, truncated = _collect(lines, limits.max_document_chars)
    except Exception as exc:  # noqa: BLE001 - a hostile file may break a parser in any way
        log.info("could not read %s attachment %r: %s", kind, name, type(exc).__name__)
        return DocumentText(name, kind, "", error=f"unreadable {kind}: {type(exc).__name__}")
    return DocumentText(name, kind, text.replace("\x00", ""), truncated=truncated)


def extract_documents(
    attachments: Sequence[Attachment], limits: LimitSettings
) -> list[DocumentText]:
    """Text of every attachment that sniffs as a document, in attachment order."""
    found: list[DocumentText] = []
    for attachment in attachments:
        kind = _kind(attachment)
        if kind is not None:
            found.append(_extract_one(attachment, kind, limits))
    return found
