"""Split a message body into the answer, its closing and signature, and quoted history.

Nothing is deleted: every line of the input ends up in exactly one of the four parts, so an editor
can always see what was set aside.

Ordering with forwards: a forwarded submission is not a reply. Call
`ingest.understand.forwards.find_forward` FIRST; when it finds a forward, run `split_reply` on its
`original_text` (the submitter's own words). `split_reply` itself never starts the quoted part at
a "Forwarded message" / "Välitetty viesti" / "Vidarebefordrat meddelande" / "Begin forwarded
message" marker nor at the header block right after one, and it looks for a closing only after
the last such marker, so a forwarder's own "Terveisin" cannot swallow the forwarded body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.understand.forwards import FORWARD_MARKER, header_block_at

CLOSING_PHRASES: tuple[str, ...] = (
    # Finnish
    "ystävällisin terveisin",
    "parhain terveisin",
    "parhaat terveiset",
    "lämpimin terveisin",
    "terveisin",
    "terveiset",
    "t.",
    "terv.",
    "yst. terv.",
    "ystävällisesti",
    "kiittäen",
    # Swedish
    "med vänliga hälsningar",
    "med vänlig hälsning",
    "vänliga hälsningar",
    "vänlig hälsning",
    "bästa hälsningar",
    "hälsningar",
    "mvh",
    # English
    "best regards",
    "kind regards",
    "warm regards",
    "with best regards",
    "with kind regards",
    "regards",
    "yours sincerely",
    "sincerely",
    "best wishes",
    "all the best",
    "br",
)
"""Closing phrases, casefolded. A closing line is one of these, optionally followed by a name."""

SHORT_CLOSINGS: tuple[str, ...] = (
    "kiitos",
    "kiitos paljon",
    "kiitoksin",
    "kiitokset",
    "tack",
    "tack så mycket",
    "tusen tack",
    "best",
    "cheers",
    "thanks",
    "thanks again",
    "many thanks",
    "thank you",
)
"""Words that close a mail but also open sentences ("Kiitos kaikille...", "Best practice is").

They are closings only on a line of their own (punctuation and a first name allowed) with a short
signature-like line, or nothing, after them: see `signature_starts_at`."""

_MAX_WORDS_AFTER_CLOSING = 4
_CLOSING = re.compile(
    r"^(?P<phrase>"
    + "|".join(re.escape(p.rstrip(",")) for p in sorted(CLOSING_PHRASES, key=len, reverse=True))
    + r")(?P<rest>(?:[\s,.!:;–-].*)?)$",
    re.IGNORECASE,
)
# Case matters after the phrase: a capitalised first name may follow ("Thanks, Anna").
_SHORT_CLOSING = re.compile(
    r"^(?P<phrase>(?i:"
    + "|".join(re.escape(p) for p in sorted(SHORT_CLOSINGS, key=len, reverse=True))
    + r"))(?P<rest>\s*[,.!]?(?:\s+[A-ZÅÄÖ][\w'’-]*){0,2}\s*[.!]?)$"
)
# A weak closing's next line is a name or a title, not a sentence, a question or a heading.
_SIGNATURE_FOLLOWER_MAX_WORDS = 6
_LOOKAHEAD_LINES = 5
_SIGNATURE_DELIMITER = re.compile(r"^--\s*$")
_SENT_FROM_DEVICE = re.compile(
    r"^(?:sent from my |lähetetty (?:iphonesta|ipadista|android|mobiili|puhelimesta)"
    r"|skickat från min |hanki outlook|get outlook for )",
    re.IGNORECASE,
)

_ATTRIBUTION_VERB = re.compile(r"(?:kirjoitti|wrote|skrev|schrieb|a écrit)\b[^:]{0,60}:\s*$", re.I)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(?:original message|alkuperäinen viesti|ursprungligt meddelande|"
    r"ursprüngliche nachricht|message d'origine)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_OUTLOOK_RULE = re.compile(r"^\s*_{10,}\s*$")
_CLOCK_TIME = re.compile(r"(?<![\d.:])\d{1,2}[.:]\d{2}(?![\d.:]\d)")


@dataclass(frozen=True, slots=True)
class ReplyParts:
    """One body split four ways; `answer` is what the sender wrote now."""

    answer: str
    quoted: str
    signature: str
    closing: str


def closing_phrase(line: str) -> tuple[str, str] | None:
    """(closing phrase, the rest of the line) when `line` is a closing such as "Terveisin,".

    A short closing ("Thanks,", "Kiitos!", "Best, Anna") counts here only as a whole line;
    whether it really ends the text is for `signature_starts_at` to judge from its neighbours.
    """
    stripped = line.strip().strip("*_").strip()
    short = _SHORT_CLOSING.match(stripped)
    if short is not None:
        return short.group("phrase"), short.group("rest").strip(" ,.!\t")
    match = _CLOSING.match(stripped)
    if match is None:
        return None
    rest = match.group("rest").strip(" ,.!:;–-\t")
    if len(rest.split()) > _MAX_WORDS_AFTER_CLOSING or rest.endswith("?"):
        return None
    return stripped[: match.end("phrase")].strip(), rest


def _is_short_closing(line: str) -> bool:
    return _SHORT_CLOSING.match(line.strip().strip("*_").strip()) is not None


def _looks_like_signature_follower(following: Sequence[str]) -> bool:
    """Whether the lines after a short closing read as a signature (or there are none)."""
    for line in following:
        text = line.strip()
        if text:
            words = text.split()
            return len(words) <= _SIGNATURE_FOLLOWER_MAX_WORDS and not text.endswith(
                (".", "?", ":")
            )
    return True


def is_signature_start(line: str) -> bool:
    """True for a line where the sender's closing or signature begins, judged on its own.

    A short closing ("Thanks,", "Kiitos!") needs its neighbours to be judged, so it never counts
    here; `signature_starts_at` reads them.
    """
    if _is_short_closing(line):
        return False
    return (
        closing_phrase(line) is not None
        or bool(_SIGNATURE_DELIMITER.match(line))
        or bool(_SENT_FROM_DEVICE.match(line.strip()))
    )


def signature_starts_at(lines: Sequence[str], index: int) -> bool:
    """True when the closing or signature begins at `lines[index]`.

    A short closing such as "Thanks," or "Kiitos!" ends the text only below some text of its own
    and above a name-like line (or nothing): a reply that opens with "Kiitos!" keeps it as
    its answer, and so does a paragraph where "Kiitos!" is followed by more prose.
    """
    line = lines[index]
    if not _is_short_closing(line):
        return is_signature_start(line)
    has_text_above = any(lines[previous].strip() for previous in range(index - 1, -1, -1))
    following = lines[index + 1 : index + 1 + _LOOKAHEAD_LINES]
    return has_text_above and _looks_like_signature_follower(following)


def _is_attribution(lines: list[str], index: int) -> bool:
    """'On <date>, X wrote:' and its fi/sv/de forms, possibly wrapped onto a second line.

    Prose can read like one ("Helsingin Sanomat kirjoitti 12.3.2025:"), so the line must also
    carry an address or a clock time, or be followed by ">" lines.
    """
    span = _attribution_span(lines, index)
    if span == 0:
        return False
    text = " ".join(lines[index : index + span])
    if "@" in text or _CLOCK_TIME.search(text):
        return True
    following = [line for line in lines[index + span : index + span + 3] if line.strip()]
    return bool(following) and following[0].lstrip().startswith(">")


def _attribution_span(lines: list[str], index: int) -> int:
    """How many lines the attribution starting at `index` takes: 0 (none), 1 or 2."""
    if _looks_like_attribution(lines[index]):
        return 1
    # Clients wrap long attributions ("... Matti <" / "matti@x.fi> wrote:"); a finished sentence
    # or a next line that is an attribution on its own is no wrap.
    if index + 1 >= len(lines) or not lines[index + 1].strip() or not lines[index].strip():
        return 0
    if lines[index].rstrip().endswith((".", "!", "?")) or _looks_like_attribution(lines[index + 1]):
        return 0
    return 2 if _looks_like_attribution(lines[index] + " " + lines[index + 1]) else 0


def _looks_like_attribution(line: str) -> bool:
    text = line.strip()
    return (
        len(text) <= 300
        and not text.startswith(">")
        and bool(_ATTRIBUTION_VERB.search(text))
        and bool(re.search(r"\d", text))
    )


def _follows_forward_marker(lines: list[str], index: int) -> bool:
    for previous in reversed(lines[max(0, index - 3) : index]):
        if FORWARD_MARKER.match(previous):
            return True
        if previous.strip() and not _OUTLOOK_RULE.match(previous):
            return False
    return False


def quote_start(lines: list[str]) -> int | None:
    """Index of the first line of quoted history, or None when nothing is quoted."""
    for index, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            return index
        if _ORIGINAL_MESSAGE.match(line) or _is_attribution(lines, index):
            return index
        if header_block_at(lines, index) is not None and not _follows_forward_marker(lines, index):
            before = index - 1
            while before >= 0 and not lines[before].strip():
                before -= 1
            if before >= 0 and _OUTLOOK_RULE.match(lines[before]):
                return before
            return index
    return None


def _signature_search_start(lines: list[str]) -> int:
    last_marker = -1
    for index, line in enumerate(lines):
        if FORWARD_MARKER.match(line):
            last_marker = index
    return last_marker + 1


def split_reply(text: str) -> ReplyParts:
    """Separate the answer from quoted history, the closing line and the signature below it."""
    lines = text.splitlines()
    start = quote_start(lines)
    own = lines if start is None else lines[:start]
    quoted = "" if start is None else "\n".join(lines[start:]).strip()
    closing = ""
    signature_lines: list[str] = []
    for index in range(_signature_search_start(own), len(own)):
        line = own[index]
        if not signature_starts_at(own, index):
            continue
        found = closing_phrase(line)
        if found is not None:
            closing, rest = found
            signature_lines = ([rest] if rest else []) + own[index + 1 :]
        else:
            signature_lines = (
                own[index:] if _SENT_FROM_DEVICE.match(line.strip()) else own[index + 1 :]
            )
        own = own[:index]
        break
    return ReplyParts(
        answer="\n".join(own).strip(),
        quoted=quoted,
        signature="\n".join(signature_lines).strip(),
        closing=closing,
    )
