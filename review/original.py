"""The original message beside its draft: its text, its HTML made harmless, its attachments.

Editors compare a draft with what was really sent, so the console shows the archived raw
message, never trusting it: the plain text is shown as text (controls made visible); the HTML
part goes through an allow-list sanitiser (nh3: structure, emphasis, lists, tables and links
only; no scripts, styles, event handlers, images, frames or forms; links only http, https and
mailto, opened with no referrer), so it can load nothing remote and run nothing; attachments are
listed by name, type and size and are only ever downloaded as attachments.

Parsing uses the standard library on the raw bytes; a message over `max_bytes` is not parsed
(the editor gets its headers from the inbound row and a note instead), which bounds the cost of
one page view whatever was sent.
"""

from __future__ import annotations

import email
import email.policy
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
    message = _parse(raw)
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
            size = len(_decoded(part))
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
