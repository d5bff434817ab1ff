"""Parses one raw message into a `ParsedMessage`: headers, body text, attachments and defects.

`ingest.parsetree` chooses the parser and the bytes it reads (within the limits); here the MIME
tree is walked, not by mail-parser, so that every text part goes through our charset chain and
binary parts keep their raw bytes (mail-parser's `.attachments` would base64-encode them again).
Limits on part count and nesting depth bound what one hostile message can cost. Address headers
go through `ingest.addresses`, which survives values that make the stdlib parser recurse.
`parse_message` never raises.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Any

from core.config import LimitSettings
from ingest.addresses import read_address, read_address_list
from ingest.body import html_to_text
from ingest.charsets import decode_header_value, decode_text
from ingest.message import Attachment, ParsedMessage
from ingest.parsetree import parse_tree

log = logging.getLogger(__name__)

FORWARD_MARKER = "---------- Forwarded message ---------"
MAX_HEADER_CHARS = 64 * 1024
MAX_FILENAME_CHARS = 150
MAX_PART_HEADER_CHARS = 1000
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_BODY_TYPES = ("text/plain", "text/html")
# Body text kept per kind: no submission is longer, and every later step reads the text in
# Python (a 50 MB body took a minute and 1.3 GB). HTML gets more: markup is most of it.
MAX_BODY_CHARS = {"text/plain": 2_000_000, "text/html": 4_000_000}


# --- headers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Headers:
    pairs: tuple[tuple[str, str], ...]
    raw: dict[str, str]


def _read_headers(message: Message, defects: list[str]) -> _Headers:
    """All headers decoded, plus the first raw (unfolded, undecoded) value of each name."""
    pairs: list[tuple[str, str]] = []
    raw: dict[str, str] = {}
    for name, value in message.raw_items():
        text = str(value)
        if len(text) > MAX_HEADER_CHARS:
            defects.append(f"header {name} over {MAX_HEADER_CHARS} characters; truncated")
            text = text[:MAX_HEADER_CHARS]
        text = _FOLD.sub("", text).strip()
        raw.setdefault(name.lower(), text)
        pairs.append((name, decode_header_value(text)))
    return _Headers(tuple(pairs), raw)


def _date(raw_value: str, defects: list[str]) -> datetime | None:
    if not raw_value:
        return None
    try:
        parsed = parsedate_to_datetime(decode_header_value(raw_value))
    except (TypeError, ValueError, IndexError, OverflowError):
        defects.append("Date header unparseable")
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _part_header(part: Message, name: str) -> str:
    """One header of a nested part, decoded and bounded (it ends up in the body text)."""
    value = str(part.get(name, ""))[:MAX_PART_HEADER_CHARS]
    return decode_header_value(_FOLD.sub("", value)).strip()


def _strip_angles(value: str) -> str:
    return value.strip().strip("<>").strip()


# --- parts ---------------------------------------------------------------------------------


def sanitise_filename(name: str) -> str:
    """Keep only a safe base name: no directories, `..`, control or format characters.

    >>> sanitise_filename("../../etc/pass\\x00wd.txt")
    'passwd.txt'
    """
    name = decode_header_value(name)
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    name = re.split(r"[/\\]", name)[-1]
    while ".." in name:
        name = name.replace("..", ".")
    name = name.strip(" .")
    if len(name) > MAX_FILENAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 10:
            name = stem[: MAX_FILENAME_CHARS - len(ext) - 1] + "." + ext
        else:
            name = name[:MAX_FILENAME_CHARS]
    return name


def _payload(part: Message, defects: list[str]) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, TypeError, LookupError, UnicodeError) as exc:
        defects.append(f"{part.get_content_type()} payload undecodable ({type(exc).__name__})")
        return b""
    return payload if isinstance(payload, bytes) else b""


def _filename(part: Message) -> str:
    try:
        raw_name = part.get_filename()
        if raw_name and "\ufffd" in raw_name:
            raw_name = _filename_from_raw_bytes(part) or raw_name
    except (ValueError, TypeError, LookupError, UnicodeError):
        raw_name = None
    return sanitise_filename(raw_name) if raw_name else ""


def _filename_from_raw_bytes(part: Message) -> str | None:
    """The file name sent as raw 8-bit bytes (RFC 6532 style), decoded with our charset chain.

    compat32 turns such bytes into U+FFFD; "Käytäntö.pdf" must reach the editor intact.
    """
    probe = Message()
    for name, value in part.raw_items():
        if name.lower() in ("content-disposition", "content-type"):
            text, _defects = decode_text(str(value).encode("ascii", "surrogateescape"), None)
            probe[name] = text
    found = probe.get_filename()
    return str(found) if found else None


def _header_blocks(blocks: list[Message | str] | list[Any]) -> bytes:
    """The blocks of a message/delivery-status part, as sent.

    Written out by hand: the stdlib generator re-encodes with each block's declared charset and
    raises on a bad one.
    """
    out: list[bytes] = []
    for block in blocks:
        if isinstance(block, Message):
            text = "".join(f"{name}: {value}\n" for name, value in block.raw_items())
            out.append(text.encode("utf-8", "surrogateescape"))
            body = block.get_payload(decode=True)
            if isinstance(body, bytes) and body:
                out.append(b"\n" + body)
    return b"\n".join(out)


@dataclass
class _Body:
    plain: list[str] = field(default_factory=list)
    html: list[str] = field(default_factory=list)


class _Walker:
    """Walks a MIME tree once, bounded by the limits, collecting body text and attachments."""

    def __init__(self, limits: LimitSettings, lifted: dict[int, bytes]) -> None:
        self.limits = limits
        self.lifted = lifted
        self.defects: list[str] = []
        self.attachments: list[Attachment] = []
        self.body = _Body()
        self.seen_parts = 0
        self.text_left = dict(MAX_BODY_CHARS)
        self.dropped_parts = 0
        self.too_deep_parts = 0

    def walk(self, part: Message, depth: int, nested_in: str, body: _Body) -> bool:
        """Collect `part` and its children into `body`; False when the limits dropped it."""
        self.seen_parts += 1
        if self.seen_parts > self.limits.max_parts:
            self.dropped_parts += 1
            return False
        if depth > self.limits.max_nesting_depth:
            self.too_deep_parts += 1
            return False
        self.defects.extend(type(d).__name__ for d in part.defects)
        ctype = part.get_content_type()
        # Only containers: on a leaf, get_payload() without decode=True applies the declared
        # charset itself and raises on a name with a NUL in it.
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            if ctype == "message/rfc822":
                for inner in payload:
                    if isinstance(inner, Message):
                        self._forwarded(inner, depth + 1, body)
            elif ctype.startswith("message/"):
                self._attach(part, ctype, _header_blocks(payload), nested_in)
            else:
                for child in payload:
                    if isinstance(child, Message):
                        self.walk(child, depth + 1, nested_in, body)
            return True
        if ctype.startswith("multipart/"):
            self.defects.append(f"{ctype} without parts; its body read as text")
            ctype = "text/plain"
        is_attachment = part.get_content_disposition() == "attachment" or bool(_filename(part))
        lifted = self.lifted.get(id(part))
        data = _payload(part, self.defects) if lifted is None else lifted
        # Decoding adds defects of its own (broken base64, for one).
        self.defects.extend(type(d).__name__ for d in part.defects)
        if ctype in _BODY_TYPES and not is_attachment:
            text, problems = decode_text(data, part.get_content_charset())
            self.defects.extend(problems)
            (body.plain if ctype == "text/plain" else body.html).append(self._bounded(ctype, text))
        else:
            self._attach(part, ctype, data, nested_in)
        return True

    def _bounded(self, ctype: str, text: str) -> str:
        """`text` cut to what is left of the body budget for its kind, with a defect if cut."""
        left = self.text_left[ctype]
        if len(text) > left:
            self.defects.append(f"{ctype} text over {MAX_BODY_CHARS[ctype]} characters; truncated")
            text = text[:left]
        self.text_left[ctype] = left - len(text)
        return text

    def _attach(self, part: Message, ctype: str, data: bytes, nested_in: str) -> None:
        content_id = _strip_angles(_part_header(part, "Content-ID"))
        disposition = part.get_content_disposition()
        self.attachments.append(
            Attachment(
                index=len(self.attachments),
                content_type=ctype,
                filename=_filename(part),
                payload=data,
                content_id=content_id,
                # An image referenced by Content-ID with no disposition is shown inline.
                inline=disposition == "inline" or (disposition is None and bool(content_id)),
                nested_in=nested_in,
            )
        )

    def _forwarded(self, inner: Message, depth: int, body: _Body) -> None:
        """Walk a forwarded message and add its text after a header block, as clients do."""
        inner_body = _Body()
        if not self.walk(inner, depth, "message/rfc822", inner_body):
            return
        fields = [(name, _part_header(inner, name)) for name in ("From", "Date", "Subject")]
        block = "\n".join([FORWARD_MARKER, *(f"{k}: {v}" for k, v in fields)])
        # A forward whose only body is HTML still has to read as text to the understanding layer.
        inner_text = "\n\n".join(inner_body.plain) or html_to_text("\n".join(inner_body.html))
        body.plain.append(block + "\n\n" + inner_text)
        html_block = f"<p>{html.escape(FORWARD_MARKER)}</p>" + "".join(
            f"<p>{k}: {html.escape(v)}</p>" for k, v in fields
        )
        if inner_body.html:
            body.html.append(html_block + "\n".join(inner_body.html))
        elif inner_body.plain and body.html:
            escaped = html.escape("\n\n".join(inner_body.plain))
            body.html.append(f"{html_block}<pre>{escaped}</pre>")

    def limit_defects(self) -> list[str]:
        out = []
        if self.dropped_parts:
            out.append(f"over {self.limits.max_parts} parts; {self.dropped_parts} dropped")
        if self.too_deep_parts:
            out.append(
                f"nested deeper than {self.limits.max_nesting_depth}; "
                f"{self.too_deep_parts} parts dropped"
            )
        return out


# --- the whole message ---------------------------------------------------------------------


def parse_message(raw: bytes, limits: LimitSettings) -> ParsedMessage:
    """Parse `raw` into a ParsedMessage; problems become defects, never exceptions.

    A forwarded message (a message/rfc822 part) adds a "---------- Forwarded message ---------"
    block with its From, Date, Subject and text to `text_plain`; its own parts come out with
    `nested_in="message/rfc822"`.
    """
    defects: list[str] = []
    blank = not raw or raw.isspace()  # not raw.strip(): that copies a whole photo message
    if blank:
        defects.append("empty message")
    tree = parse_tree(raw, limits)
    message = tree.message
    defects.extend(tree.defects)
    headers = _read_headers(message, defects)
    if not headers.pairs and not blank:
        defects.append("no headers")
    walker = _Walker(limits, tree.lifted)
    try:
        walker.walk(message, 0, "", walker.body)
    except RecursionError:
        walker.defects.append("MIME tree too deep to walk; later parts dropped")
    # One odd part must not lose the whole message; the traceback goes to the log.
    except Exception as exc:
        log.warning("MIME walk stopped early: %s", type(exc).__name__, exc_info=True)
        walker.defects.append(f"MIME walk stopped early ({type(exc).__name__})")
    defects.extend(walker.defects)
    defects.extend(walker.limit_defects())
    sender = read_address(headers.raw.get("from", ""))
    recipients = read_address_list(headers.raw.get("to", ""), "To")
    defects.append(recipients.defect)
    return ParsedMessage(
        message_id=_strip_angles(decode_header_value(headers.raw.get("message-id", ""))),
        subject=decode_header_value(headers.raw.get("subject", "")),
        from_name=sender.name,
        from_address=sender.address,
        date=_date(headers.raw.get("date", ""), defects),
        content_type=message.get_content_type(),
        headers=headers.pairs,
        text_plain="\n\n".join(walker.body.plain),
        text_html="\n".join(walker.body.html),
        attachments=tuple(walker.attachments),
        defects=tuple(dict.fromkeys(d for d in defects if d)),
        parser=tree.parser,
        to_addresses=recipients.addresses,
    )
