"""The original message beside its draft: its text, its HTML made harmless, its attachments.

Editors compare a draft with what was really sent, so the console shows the archived raw
message, never trusting it: the plain text is shown as text (controls made visible); the HTML
part goes through an allow-list sanitiser (nh3: structure, emphasis, lists, tables and links
only; no scripts, styles, event handlers, images, frames or forms; links only http, https and
mailto, opened with no referrer), so it can load nothing remote and run nothing; attachments are
listed by name, type and size and are only ever downloaded as attachments.

Parsing uses the standard library on the raw bytes; a message over `max_bytes` is not parsed
(the editor gets its headers from the inbound row and a note instead), which bounds the cost of
one page view whatever was sent. The stdlib parser reads base64 line by line (a 1.4 MB phone
photo costs it 100 ms), and the page needs only a photo's name, type and size: so runs of
base64 over 256 KiB are swapped for a short marker before parsing, their decoded size kept
aside. A download parses the message whole.
"""

from __future__ import annotations

import base64
import email
import email.policy
import re
from dataclasses import dataclass, field
from email.message import EmailMessage, Message

import nh3

from core.display import visible
from store.files import BlobStore
from store.models import InboundMessage

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt", "em",
        "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "small",
        "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
        "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_PARTS = 200
# About 256 KiB of base64 lines: far more than any text body, less than any phone photo.
_BIG_RUN_LINES = 3400
_LIFTED = b"practices-lifted-part-"
# Consecutive lines of 40 to 100 base64 characters (each may end in CRs): a photo's body.
_BASE64_RUN = re.compile(rb"(?m)(?:^[A-Za-z0-9+/=]{40,100}\r*(?:\n|\Z))+")


@dataclass(frozen=True)
class Attachment:
    """A part of the message that is a file: its number (for the download link), name, type."""

    number: int
    filename: str
    content_type: str
    size: int


@dataclass
class Original:
    """What the console shows of an archived message."""

    available: bool
    text: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    too_large: bool = False


def sanitise_html(html: str) -> str:
    """`html` with everything but harmless structure removed (see the module docstring)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def _parse(raw: bytes) -> EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _lift_big_parts(raw: bytes) -> tuple[bytes, dict[bytes, int]]:
    """`raw` with each big base64 run replaced by a marker; the markers' decoded sizes.

    The runs are found by one regular-expression scan (C speed: 1 ms for a 1.4 MB message,
    where a Python loop over its lines took 20 ms, most of a draft page's time).
    """
    sizes: dict[bytes, int] = {}
    pieces: list[bytes] = []
    done = 0
    for run in _BASE64_RUN.finditer(raw):
        text = run.group()
        if text.count(b"\n") + (not text.endswith(b"\n")) < _BIG_RUN_LINES:
            continue
        marker = _LIFTED + str(len(sizes)).encode()
        sizes[marker] = (len(text) - text.count(b"\r") - text.count(b"\n")) * 3 // 4
        pieces += [raw[done : run.start()], base64.b64encode(marker), b"\r"]
        if text.endswith(b"\n"):
            pieces.append(b"\n")
        done = run.end()
    pieces.append(raw[done:])
    return b"".join(pieces), sizes


def _leaves(message: Message) -> list[Message]:
    return [part for part in message.walk() if not part.is_multipart()][:MAX_PARTS]


def _decoded(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _text(part: Message) -> str:
    charset = part.get_content_charset() or "utf-8"
    try:
        text = _decoded(part).decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know
        text = _decoded(part).decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n")


def _filename(part: Message) -> str:
    try:
        return visible(part.get_filename() or "", multiline=False)
    except (ValueError, TypeError):  # a malformed RFC 2231 name
        return ""


def read_original(blobs: BlobStore, inbound: InboundMessage, max_bytes: int) -> Original:
    """The archived message of `inbound`, or `available=False` when it is gone (purged)."""
    if not inbound.raw_path:
        return Original(available=False)
    if inbound.raw_size > max_bytes:
        return Original(available=True, too_large=True)
    try:
        raw = blobs.read(inbound.raw_path)
    except OSError:
        return Original(available=False)
    lifted, sizes = _lift_big_parts(raw)
    message = _parse(lifted)
    original = Original(available=True)
    for number, part in enumerate(_leaves(message), start=1):
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        name = _filename(part)
        if disposition != "attachment" and not name and content_type == "text/plain":
            if not original.text:
                original.text = visible(_text(part))
        elif disposition != "attachment" and not name and content_type == "text/html":
            if not original.html:
                original.html = sanitise_html(_text(part))
        else:
            data = _decoded(part)
            size = sizes.get(data, len(data))
            original.attachments.append(Attachment(number, name, content_type, size))
    return original


def attachment(blobs: BlobStore, inbound: InboundMessage, number: int) -> tuple[str, bytes]:
    """The file name and bytes of attachment `number` (as `read_original` numbers them);
    LookupError when there is none."""
    if not inbound.raw_path:
        raise LookupError(number)
    leaves = _leaves(_parse(blobs.read(inbound.raw_path)))
    if not 1 <= number <= len(leaves):
        raise LookupError(number)
    part = leaves[number - 1]
    return _filename(part), _decoded(part)
