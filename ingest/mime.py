"""Parses one raw message into a `ParsedMessage`: headers, body text, attachments and defects.

mail-parser does the parsing (and its defect collection); when it raises, the stdlib `email`
package parses the same bytes, and when even that fails (nesting past the recursion limit) only
the headers are read. Large base64 attachment bodies are lifted out before parsing and put back
after (`ingest.bigparts`): the line-by-line parser would spend a third of a second on a photo.
The MIME tree is walked here, not by mail-parser, so that every text part
goes through our charset chain and binary parts keep their raw bytes (mail-parser's
`.attachments` would base64-encode them again). Limits on part count and nesting depth bound what
one hostile message can cost. `parse_message` never raises.
"""

from __future__ import annotations

import email
import email.policy
import html
import logging
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from typing import Any

import mailparser

from core.config import LimitSettings
from ingest.bigparts import boundary_params, lift, restore
from ingest.body import html_to_text
from ingest.charsets import decode_header_value, decode_text
from ingest.message import Attachment, ParsedMessage

log = logging.getLogger(__name__)

# mail-parser logs every header at DEBUG and quotes undecodable header values (sender data, maybe
# megabytes) at ERROR; what it found reaches us as defects, so its own log lines are only noise.
logging.getLogger("mailparser").setLevel(logging.CRITICAL)

FORWARD_MARKER = "---------- Forwarded message ---------"
MAX_HEADER_CHARS = 64 * 1024
MAX_FILENAME_CHARS = 150
MAX_PART_HEADER_CHARS = 1000
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_BOUNDARY = re.compile(rb"(?i)boundary\s*=")
# About five seconds of the stdlib parser's per-line boundary checks.
MAX_BOUNDARY_LINE_CHECKS = 15_000_000
_BODY_TYPES = ("text/plain", "text/html")
# Body text kept per kind: no submission is longer, and every later step reads the text in
# Python (a 50 MB body took a minute and 1.3 GB). HTML gets more: markup is most of it.
MAX_BODY_CHARS = {"text/plain": 2_000_000, "text/html": 4_000_000}


# --- parsing -------------------------------------------------------------------------------


def _too_costly(raw: bytes, params: list[int], limits: LimitSettings) -> bool:
    """True when the stdlib parser would take minutes: it checks every line against every open
    boundary, so hundreds of nested boundaries times many lines is quadratic. Real mail, even a
    long forward chain, declares a few dozen boundaries at most.
    """
    boundaries = sum(1 for pos in params if _BOUNDARY.match(raw, pos))
    if boundaries <= 4 * limits.max_nesting_depth:
        return False
    return boundaries * raw.count(b"\n") > MAX_BOUNDARY_LINE_CHECKS


def _headers_only(raw: bytes) -> Message:
    return BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)


def _mail_parser(raw: bytes) -> tuple[Message, list[str]]:
    """The tree and defect categories from mail-parser; raises whatever mail-parser raises."""
    parsed = mailparser.parse_from_bytes(raw)
    message = parsed.message
    if not isinstance(message, Message):
        raise TypeError(f"mail-parser gave {type(message).__name__}, not a Message")
    return message, [str(c) for c in sorted(parsed.defects_categories or ())]


@dataclass(frozen=True)
class _Tree:
    message: Message
    parser: str
    defects: list[str]
    # Decoded bodies of lifted parts, by id() of the part (whose own payload is empty).
    lifted: dict[int, bytes] = field(default_factory=dict)


def _parse_lifted(raw: bytes, params: list[int], limits: LimitSettings) -> _Tree | None:
    """Parse with large base64 bodies lifted out (see `ingest.bigparts`); None when that cannot
    give the very tree the original would, or what is left is still too large to parse whole,
    and the original must be parsed instead.
    """
    lifted = lift(raw, params)
    if lifted is None or len(lifted.raw) > limits.max_parsed_bytes:
        return None
    try:
        message, categories = _mail_parser(lifted.raw)
    except Exception:  # noqa: BLE001 - the original bytes get the full fallback chain
        return None
    payloads = restore(message, lifted)
    return None if payloads is None else _Tree(message, "mail-parser", categories, payloads)


def _parse_tree(raw: bytes, limits: LimitSettings) -> _Tree:
    """Parse with mail-parser, else the stdlib, else headers only; say which one worked."""
    params = boundary_params(raw)
    if _too_costly(raw, params, limits):
        only = ["too many MIME boundaries; only headers were read"]
        return _Tree(_headers_only(raw), "stdlib", only)
    fast = _parse_lifted(raw, params, limits)
    if fast is not None:
        return fast
    raw, cut = _within_parse_limit(raw, limits.max_parsed_bytes)
    try:
        message, categories = _mail_parser(raw)
        return _Tree(message, "mail-parser", cut + categories)
    except Exception as exc:  # noqa: BLE001 - any mail-parser failure means: try the stdlib
        reason = f"mail-parser failed ({type(exc).__name__}); parsed with the stdlib"
        log.info("mail-parser failed on a message, using the stdlib: %s", type(exc).__name__)
    try:
        return _Tree(
            email.message_from_bytes(raw, policy=email.policy.compat32), "stdlib", [*cut, reason]
        )
    except RecursionError:
        too_deep = "message nested too deep to parse; only its headers were read"
    return _Tree(_headers_only(raw), "stdlib", [*cut, reason, too_deep])


def _within_parse_limit(raw: bytes, limit: int) -> tuple[bytes, list[str]]:
    """`raw` cut at the last line end before `limit` bytes, and the defect that says so.

    The parsers hold about a dozen copies of what they read (lines, strings, decoded text): a
    50 MB text body would cost 650 MB. Understanding reads at most the first 2 million
    characters of text anyway; what lies past the cut stays in the archived raw message.
    """
    if len(raw) <= limit:
        return raw, []
    end = raw.rfind(b"\n", 0, limit) + 1 or limit
    note = (
        f"message text too large to read whole ({len(raw)} bytes after its large attachments, "
        f"limits.max_parsed_bytes = {limit}); only the first {end} bytes were read"
    )
    return raw[:end], [note]


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


def _address(raw_value: str) -> tuple[str, str]:
    """(display name, lower-case address) of an address header, names decoded."""
    name, address = parseaddr(raw_value)
    if not address:
        name, address = parseaddr(decode_header_value(raw_value))
    return decode_header_value(name).strip(), decode_header_value(address).strip().lower()


def _addresses(raw_value: str) -> tuple[str, ...]:
    found = (address.strip().lower() for _, address in getaddresses([raw_value]))
    return tuple(dict.fromkeys(a for a in found if "@" in a))


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
    tree = _parse_tree(raw, limits)
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
    from_name, from_address = _address(headers.raw.get("from", ""))
    return ParsedMessage(
        message_id=_strip_angles(decode_header_value(headers.raw.get("message-id", ""))),
        subject=decode_header_value(headers.raw.get("subject", "")),
        from_name=from_name,
        from_address=from_address,
        date=_date(headers.raw.get("date", ""), defects),
        content_type=message.get_content_type(),
        headers=headers.pairs,
        text_plain="\n\n".join(walker.body.plain),
        text_html="\n".join(walker.body.html),
        attachments=tuple(walker.attachments),
        defects=tuple(dict.fromkeys(d for d in defects if d)),
        parser=tree.parser,
        to_addresses=_addresses(headers.raw.get("to", "")),
    )
