"""Turns raw bytes into a MIME tree within the limits: which parser, on which bytes.

mail-parser does the parsing (and its defect collection); when it raises, the stdlib `email`
package parses the same bytes, and when even that fails (nesting past the recursion limit) only
the headers are read. Large base64 attachment bodies are lifted out before parsing and put back
after (`ingest.bigparts`): the line-by-line parser would spend a third of a second on a photo.
What is left must fit `limits.max_parsed_bytes`; `ingest.textcut` shortens long text parts so
the parts after them (photos above all) survive. `ingest.mime` walks the tree that comes out.
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesHeaderParser

import mailparser

from core.config import LimitSettings
from ingest.bigparts import Lifted, boundary_params, lift, restore
from ingest.textcut import fit_parse_limit

log = logging.getLogger(__name__)

# mail-parser logs every header at DEBUG and quotes undecodable header values (sender data, maybe
# megabytes) at ERROR; what it found reaches us as defects, so its own log lines are only noise.
logging.getLogger("mailparser").setLevel(logging.CRITICAL)

_BOUNDARY = re.compile(rb"(?i)boundary\s*=")
# About five seconds of the stdlib parser's per-line boundary checks.
MAX_BOUNDARY_LINE_CHECKS = 15_000_000


@dataclass(frozen=True)
class Tree:
    """The parsed message, which parser made it, its defects, and the lifted bodies.

    `lifted` holds the decoded bodies of lifted parts by `id()` of the part (whose own payload is
    empty).
    """

    message: Message
    parser: str
    defects: list[str]
    lifted: dict[int, bytes] = field(default_factory=dict)


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


def _parse_lifted(lifted: Lifted, limits: LimitSettings) -> Tree | None:
    """Parse with large base64 bodies lifted out (see `ingest.bigparts`); None when that cannot
    give the very tree the original would, and the original must be parsed instead.
    """
    raw, cut = fit_parse_limit(lifted.raw, limits.max_parsed_bytes)
    try:
        message, categories = _mail_parser(raw)
    except Exception:  # noqa: BLE001 - the original bytes get the full fallback chain
        return None
    payloads = restore(message, lifted)
    return None if payloads is None else Tree(message, "mail-parser", cut + categories, payloads)


def parse_tree(raw: bytes, limits: LimitSettings) -> Tree:
    """Parse with mail-parser, else the stdlib, else headers only; say which one worked."""
    params = boundary_params(raw)
    if _too_costly(raw, params, limits):
        only = ["too many MIME boundaries; only headers were read"]
        return Tree(_headers_only(raw), "stdlib", only)
    lifted = lift(raw, params)
    if lifted is not None:
        fast = _parse_lifted(lifted, limits)
        if fast is not None:
            return fast
    raw, cut = fit_parse_limit(raw, limits.max_parsed_bytes, params)
    try:
        message, categories = _mail_parser(raw)
        return Tree(message, "mail-parser", cut + categories)
    except Exception as exc:  # noqa: BLE001 - any mail-parser failure means: try the stdlib
        reason = f"mail-parser failed ({type(exc).__name__}); parsed with the stdlib"
        log.info("mail-parser failed on a message, using the stdlib: %s", type(exc).__name__)
    try:
        return Tree(
            email.message_from_bytes(raw, policy=email.policy.compat32), "stdlib", [*cut, reason]
        )
    except RecursionError:
        too_deep = "message nested too deep to parse; only its headers were read"
    return Tree(_headers_only(raw), "stdlib", [*cut, reason, too_deep])
