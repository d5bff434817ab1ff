"""Recognise a forwarded submission and recover who originally wrote it, when, and what.

Practices often reach the mailbox second-hand: a communications officer forwards a colleague's
message. The person to credit and contact is the original author, so the forwarded header block
is parsed for name, address, date and subject, and the forwarder's note is kept apart.

A forward is recognised when:
- the text holds a client's "forwarded message" marker (Gmail "---------- Forwarded message
  ---------", "Välitetty viesti", "Vidarebefordrat meddelande", Apple "Begin forwarded message:"),
  whatever the subject says; or
- the subject carries a forward prefix (VL:, Fwd:, Fw:, WG:, TR:, VB:) and the text holds an
  Outlook header block ("From/Sent/To/Subject", "Lähettäjä/Lähetetty/Vastaanottaja/Aihe",
  "Från/Skickat/Till/Ämne") or an "-----Original Message-----" separator; or
- the subject carries a reply prefix that people also use to pass mail on (Vs:, Sv:) with such a
  block, and the note above the block is short: a long text above a quoted block is a reply
  (`ingest.understand.replies` handles it), not a forward.

Two kinds of quoted block are never a forward, whatever the subject says, because senders
answer our call by replying to it ("VS: Kerro hyvä käytäntösi") and clients quote the call below:
- a block written from one of our own addresses (our call, or our earlier answer);
- an Outlook block (no "Forwarded message" marker) below a text that already holds answers under
  at least `_MIN_REPLY_HEADINGS` section headings: that text is the submission, not a note.

Call `find_forward` before `ingest.understand.replies.split_reply`; see that module.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ingest.understand.headings import match_heading

FORWARD_MARKER = re.compile(
    r"^\s*(?:-{2,}\s*(?:forwarded message|välitetty viesti|vidarebefordrat meddelande|"
    r"weitergeleitete nachricht|message transféré)\s*-{2,}"
    r"|begin forwarded message\s*:|välitetty viesti alkaa\s*:|"
    r"(?:början (?:på|av) )?vidarebefordrat (?:brev|meddelande)\s*:)\s*$",
    re.IGNORECASE,
)
"""A line that announces a forwarded message (the Gmail and Apple kinds)."""

_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(?:original message|alkuperäinen viesti|ursprungligt meddelande|"
    r"ursprüngliche nachricht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_OUTLOOK_RULE = re.compile(r"^\s*_{10,}\s*$")

_HEADER_KEYS: dict[str, str] = {
    **dict.fromkeys(("from", "lähettäjä", "från", "von", "mistä"), "from"),
    **dict.fromkeys(
        ("sent", "date", "lähetetty", "päivämäärä", "pvm", "päiväys", "skickat", "datum"), "date"
    ),
    **dict.fromkeys(("gesendet",), "date"),
    **dict.fromkeys(("to", "vastaanottaja", "till", "an", "mottagare"), "to"),
    **dict.fromkeys(("cc", "kopio", "kopia", "kopie", "bcc", "piilokopio", "hemlig kopia"), "cc"),
    **dict.fromkeys(("subject", "aihe", "ämne", "betreff", "otsikko"), "subject"),
    **dict.fromkeys(
        ("reply-to", "importance", "tärkeys", "prioritet", "attachments", "liitteet"), "other"
    ),
}
_KEY_PATTERN = "|".join(re.escape(k) for k in sorted(_HEADER_KEYS, key=len, reverse=True))
_HEADER_LINE = re.compile(
    rf"^\s*(?:\*\*|__)?(?P<key>{_KEY_PATTERN})\s*:\s*(?:\*\*|__)?\s*(?P<value>.*)$", re.IGNORECASE
)
_INLINE_KEY = re.compile(rf"(?:^|\s)(?:\*\*|__)?(?P<key>{_KEY_PATTERN})\s*:(?:\*\*|__)?", re.I)
_MAX_HEADER_LINES = 14

_FORWARD_PREFIXES = frozenset({"vl", "fwd", "fw", "wg", "tr", "vb", "doorst"})
_REPLY_PREFIXES = frozenset({"re", "vs", "sv", "aw", "antw", "odp"})
_PREFIX = re.compile(r"^\s*(?P<word>[a-z]{1,6})\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*", re.IGNORECASE)
_TAG = re.compile(r"^\s*[\[(](?P<tag>[^\])]{1,24})[\])]\s*")
_TAG_WORDS = frozenset({"ext", "external", "extern", "ulkoinen", "ulkoinen viesti", "spam"})
_MAX_REPLY_FORWARD_NOTE_WORDS = 60
# One heading-like line can occur in a forwarder's note ("Lisätietoa: Liisa, 040 ..."); two
# different sections above the block mean the sender answered there.
_MIN_REPLY_HEADINGS = 2

_ADDRESS = r"[^\s<>()\[\]@,;\"']+@[^\s<>()\[\]@,;\"']+\.[^\s<>()\[\]@,;\"']+"
_FROM_FORMS = (
    re.compile(rf"^(?P<name>.*?)\s*<\s*(?:mailto:)?(?P<addr>{_ADDRESS})\s*>"),
    re.compile(rf"^(?P<name>.*?)\s*\[\s*mailto:(?P<addr>{_ADDRESS})\s*\]", re.I),
    re.compile(rf"^(?P<name>.*?)\s*\(\s*(?:mailto:)?(?P<addr>{_ADDRESS})\s*\)", re.I),
    re.compile(rf"^(?P<name>)(?P<addr>{_ADDRESS})$"),
)


@dataclass(frozen=True, slots=True)
class HeaderBlock:
    """A quoted or forwarded header block: canonical key -> value, and where the body starts."""

    fields: dict[str, str]
    end: int


@dataclass(frozen=True, slots=True)
class ForwardInfo:
    """What a forward reveals about the submission's origin; `original_text` is the submission."""

    forwarder_note: str
    original_from_name: str
    original_from_address: str
    original_date: str
    original_subject: str
    original_text: str


def _parse_prefixes(subject: str) -> tuple[list[str], str]:
    """The prefix words (casefolded, tags skipped) at the start of `subject`, and what follows."""
    words: list[str] = []
    rest = subject
    while True:
        tag = _TAG.match(rest)
        if tag is not None and _is_tag(tag.group("tag")):
            rest = rest[tag.end() :]
            continue
        prefix = _PREFIX.match(rest)
        word = prefix.group("word").casefold() if prefix is not None else ""
        if prefix is None or word not in _FORWARD_PREFIXES | _REPLY_PREFIXES:
            return words, rest.strip()
        words.append(word)
        rest = rest[prefix.end() :]


def _is_tag(tag: str) -> bool:
    stripped = tag.strip()
    return stripped.casefold() in _TAG_WORDS or (stripped.isupper() and len(stripped) <= 12)


def strip_subject_prefixes(subject: str) -> str:
    """The subject without any chain of Re:/VS:/VL:/Fwd:/FW:/SV:/AW:/WG:/TR:/VB: and [EXT] tags.

    >>> strip_subject_prefixes("[EXT] VS: Fwd: VL: Avoin data -kokeilu")
    'Avoin data -kokeilu'
    """
    return _parse_prefixes(subject)[1]


def _canonical_key(key: str) -> str:
    return _HEADER_KEYS[" ".join(key.casefold().split())]


def _inline_fields(line: str) -> dict[str, str] | None:
    """'From: X Sent: Y To: Z Subject: W' squeezed onto one line by an HTML-to-text converter."""
    found = list(_INLINE_KEY.finditer(line))
    if len(found) < 3 or found[0].start() != 0 or _canonical_key(found[0]["key"]) != "from":
        return None
    fields: dict[str, str] = {}
    for match, following in zip(found, [*found[1:], None], strict=True):
        end = following.start() if following is not None else len(line)
        fields.setdefault(_canonical_key(match["key"]), line[match.end() : end].strip())
    return fields


def header_block_at(lines: list[str], index: int, *, strict: bool = True) -> HeaderBlock | None:
    """The header block starting at `lines[index]`, or None.

    A block starts with a From line. `strict` (for blocks with no marker above them) also asks for
    a subject and a date or recipient, so a line "From: the city council" in prose is no block.
    """
    if index >= len(lines):
        return None
    first = _HEADER_LINE.match(lines[index])
    if first is None or _canonical_key(first["key"]) != "from":
        return None
    inline = _inline_fields(lines[index].strip())
    if inline is not None and "subject" in inline:
        return HeaderBlock(fields=inline, end=index + 1)
    fields: dict[str, str] = {}
    last_key = ""
    position = index
    while position < len(lines) and position < index + _MAX_HEADER_LINES:
        line = lines[position]
        match = _HEADER_LINE.match(line)
        if match is not None:
            last_key = _canonical_key(match["key"])
            fields.setdefault(last_key, match["value"].strip())
        elif not line.strip():
            after = position + 1
            if "subject" in fields or after >= len(lines) or not _HEADER_LINE.match(lines[after]):
                break
        elif last_key in {"to", "cc"} and re.search(r"[@;<]", line):
            fields[last_key] += " " + line.strip()
        else:
            break
        position += 1
    complete = "subject" in fields and ("date" in fields or "to" in fields)
    if strict and not complete:
        return None
    return HeaderBlock(fields=fields, end=position)


def parse_from(value: str) -> tuple[str, str]:
    """(display name, address) from a header value like 'Matti <m@x.fi>' or 'M [mailto:m@x.fi]'."""
    cleaned = value.replace("**", "").replace("__", "").strip()
    # HTML-to-text converters render a mailto link as "text (mailto:address)"; drop the copy.
    link = re.search(r"\s*\(mailto:(?P<addr>[^()\s]+)\)", cleaned)
    if link is not None:
        without = (cleaned[: link.start()] + cleaned[link.end() :]).strip()
        cleaned = without if link["addr"] in without else f"{without} <{link['addr']}>"
    for form in _FROM_FORMS:
        match = form.match(cleaned)
        if match is not None:
            name = match["name"].strip().strip("\"'“” ").strip()
            address = match["addr"].strip()
            return ("" if name.casefold() == address.casefold() else name), address
    anywhere = re.search(_ADDRESS, cleaned)
    if anywhere is not None:
        return cleaned.replace(anywhere.group(0), "").strip(" \"'<>()[],"), anywhere.group(0)
    return cleaned.strip("\"' "), ""


def _block_after_marker(lines: list[str], marker: int) -> tuple[HeaderBlock | None, int]:
    start = marker + 1
    while start < len(lines) and not lines[start].strip():
        start += 1
    block = header_block_at(lines, start, strict=False)
    return block, (block.end if block is not None else start)


def _find_block(
    lines: list[str], prefixes: list[str]
) -> tuple[int, HeaderBlock | None, int] | None:
    """(first line of the forward, its header block, first body line), or None."""
    prefixed = bool(set(prefixes) & (_FORWARD_PREFIXES | {"vs", "sv"}))
    for index, line in enumerate(lines):
        if FORWARD_MARKER.match(line) or (prefixed and _ORIGINAL_MESSAGE.match(line)):
            block, body = _block_after_marker(lines, index)
            return index, block, body
        if prefixed:
            block = header_block_at(lines, index)
            if block is not None:
                start = index
                if index > 0 and _OUTLOOK_RULE.match(lines[index - 1]):
                    start = index - 1
                return start, block, block.end
    return None


def _holds_answers(note_lines: Sequence[str]) -> bool:
    """Whether the text above a quoted block answers under several different section headings."""
    keys = {match.key for match in map(match_heading, note_lines) if match is not None}
    return len(keys) >= _MIN_REPLY_HEADINGS


def find_forward(
    subject: str, text: str, *, own_addresses: Sequence[str] = ()
) -> ForwardInfo | None:
    """The forwarded submission inside `text`, or None when the message is not a forward.

    Nested forwards are followed inwards while the inner forwarder wrote nothing of their own,
    so the author credited is the one who wrote the text. A block from one of `own_addresses`
    (our mailbox) is our own mail quoted back, so the text above it is a reply, not a forward.
    """
    prefixes, _ = _parse_prefixes(subject)
    lines = text.splitlines()
    found = _find_block(lines, prefixes)
    if found is None:
        return None
    start, block, body = found
    note = "\n".join(lines[:start]).strip()
    is_forward_prefix = bool(set(prefixes) & _FORWARD_PREFIXES)
    marker_kind = bool(FORWARD_MARKER.match(lines[start]))
    if not marker_kind and (
        _holds_answers(lines[:start])
        or (not is_forward_prefix and len(note.split()) > _MAX_REPLY_FORWARD_NOTE_WORDS)
    ):
        return None
    fields = block.fields if block is not None else {}
    name, address = parse_from(fields.get("from", ""))
    own = {own_address.strip().casefold() for own_address in own_addresses}
    if address and address.casefold() in own:
        return None
    info = ForwardInfo(
        forwarder_note=note,
        original_from_name=name,
        original_from_address=address,
        original_date=fields.get("date", ""),
        original_subject=fields.get("subject", ""),
        original_text="\n".join(lines[body:]).strip(),
    )
    inner = find_forward(info.original_subject, info.original_text, own_addresses=own_addresses)
    if inner is not None and not inner.forwarder_note:
        # A forward of a forward with nothing said in between: the innermost original is the
        # submission, and the note is the one the outer forwarder wrote.
        return replace(inner, forwarder_note=info.forwarder_note)
    return info
