"""Extracts the text of attached documents (.docx, .odt, .pdf, .txt) for the understanding layer.

Some senders write "see attachment" and put the practice in a Word, ODT or PDF file. The kind is
sniffed from the bytes, never taken from the declared type or the name (except that a name
ending in .txt marks text). Hostile files are bounded before and while any parser reads them:
size, zip uncompressed size and compression ratio, XML elements and text (streamed, see
`office_xml`), PDF pages, output characters, and time per document (`limits.
max_document_seconds`, as wall-clock for the XML and as CPU time for every kind). A document
that cannot be read, or is over a limit, comes back with `problem` (why, for the editor's flag)
and `error` (the detail, for the log) set and no text: the mail's own text still makes the draft.
Nothing here raises.
"""

from __future__ import annotations

import io
import logging
import struct
import warnings
import zipfile
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from core.config import LimitSettings
from core.vocabulary import DocumentProblem
from ingest.charsets import decode_text
from ingest.cpu_limit import cpu_time_limit
from ingest.message import Attachment
from ingest.office_xml import OverBudget, XmlBudget, docx_lines, odt_lines

if TYPE_CHECKING:
    from pypdf import PageObject

log = logging.getLogger(__name__)

# pypdf logs every malformed object it recovers from; the result (text or error) says enough.
logging.getLogger("pypdf").setLevel(logging.ERROR)

DocumentKind = Literal["docx", "odt", "pdf", "txt"]
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MAX_COMPRESSION_RATIO = 100
# Characters of XML text a document may hold per character of text we keep: room for markup
# text no one reads (field codes, deleted revisions), none for a text bomb.
XML_TEXT_PER_KEPT_CHAR = 10
_PDF_SNIFF_BYTES = 1024
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
    problem: DocumentProblem | None = None


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


def _zip_problem(payload: bytes, limits: LimitSettings) -> tuple[DocumentProblem, str] | None:
    """Why a zip must not be opened (broken, or a zip bomb), or None when it is within bounds."""
    try:
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        return DocumentProblem.UNREADABLE, f"broken zip ({type(exc).__name__})"
    uncompressed = sum(info.file_size for info in infos)
    compressed = sum(info.compress_size for info in infos)
    if uncompressed > limits.max_uncompressed_bytes:
        return DocumentProblem.ZIP_BOMB, f"zip bomb suspected: {uncompressed} bytes uncompressed"
    if uncompressed > MAX_COMPRESSION_RATIO * max(compressed, 1):
        ratio = f"zip bomb suspected: compression ratio over {MAX_COMPRESSION_RATIO}"
        return DocumentProblem.ZIP_BOMB, ratio
    return None


def _pdf_lines(payload: bytes, limits: LimitSettings) -> Iterator[str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(payload))
    if reader.is_encrypted and not reader.decrypt(""):
        raise PermissionError("encrypted PDF")
    for page in reader.pages[: limits.max_pdf_pages]:
        _check_pdf_page_expands(page)
        yield str(page.extract_text() or "").strip()
        yield ""


def _check_pdf_page_expands(page: PageObject) -> None:
    """Refuse a page whose content stream hits pypdf's decompression limit.

    pypdf stops such a stream at its own output limit but `extract_text` then swallows the error
    and returns nothing, so a bomb would read as an empty document with no flag. Decoding the
    contents here first (bounded by the same limit and by our CPU-time limit) turns it into a
    refusal the editor is told about.
    """
    from pypdf.errors import LimitReachedError

    try:
        contents = page.get_contents()
        if contents is not None:
            contents.get_data()
    except LimitReachedError as exc:
        raise OverBudget(DocumentProblem.ZIP_BOMB, f"PDF stream expands too much: {exc}") from exc


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


class _TooSlow(Exception):
    """Raised by the CPU-time limit when reading one document takes too long."""


def _lines(payload: bytes, kind: DocumentKind, limits: LimitSettings) -> Generator[str, None, None]:
    if kind in ("docx", "odt"):
        budget = XmlBudget(
            max_elements=limits.max_document_elements,
            max_text_chars=limits.max_document_chars * XML_TEXT_PER_KEPT_CHAR,
            seconds=limits.max_document_seconds,
        )
        with zipfile.ZipFile(io.BytesIO(payload)) as archive:
            yield from (docx_lines if kind == "docx" else odt_lines)(archive, budget)
    elif kind == "pdf":
        yield from _pdf_lines(payload, limits)
    else:
        yield from _txt_lines(payload)


def _refused(
    attachment: Attachment, kind: DocumentKind, problem: DocumentProblem, error: str
) -> DocumentText:
    log.info("skipped %s attachment %r: %s", kind, attachment.filename, error)
    return DocumentText(attachment.filename, kind, "", error=error, problem=problem)


def _extract_one(attachment: Attachment, kind: DocumentKind, limits: LimitSettings) -> DocumentText:
    payload = attachment.payload
    if len(payload) > limits.max_document_bytes:
        return _refused(attachment, kind, DocumentProblem.TOO_LARGE, "too large")
    if kind in ("docx", "odt"):
        zip_problem = _zip_problem(payload, limits)
        if zip_problem is not None:
            return _refused(attachment, kind, *zip_problem)
    seconds = limits.max_document_seconds
    lines = _lines(payload, kind, limits)
    try:
        with warnings.catch_warnings(), cpu_time_limit(seconds, _TooSlow), closing(lines):
            # Malformed files make parsers warn; the outcome is reported as text or error.
            warnings.simplefilter("ignore")
            text, truncated = _collect(lines, limits.max_document_chars)
    except OverBudget as exc:
        return _refused(attachment, kind, exc.problem, str(exc))
    except _TooSlow:
        return _refused(attachment, kind, DocumentProblem.TOO_SLOW, f"over {seconds:g} s of CPU")
    except Exception as exc:  # noqa: BLE001 - a hostile file may break a parser in any way
        error = f"unreadable {kind}: {type(exc).__name__}"
        return _refused(attachment, kind, DocumentProblem.UNREADABLE, error)
    return DocumentText(attachment.filename, kind, text.replace("\x00", ""), truncated=truncated)


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
