"""Split a submission's text into the four practice sections by the headings it uses.

Nothing is dropped: text before the first heading (a greeting, "see below") and the closing with
the signature after the last section go to `unmatched`, where the editor can still see them.
The signature itself is extracted separately by `ingest.understand.replies`; here the closing only
marks where the last section ends.

Order of use: `forwards.find_forward` first (split its `original_text` when it finds one), then
`replies.split_reply`; pass either its `answer` or the unquoted text here. Quoted history must be
gone before this split, or headings quoted from an earlier message would count as answers.
"""

from __future__ import annotations

import re

from core.vocabulary import SECTION_KEYS
from ingest.understand.headings import match_heading
from ingest.understand.replies import signature_starts_at
from ingest.understand.result import Sections


def _join(parts: list[str]) -> str:
    return "\n\n".join(part for part in (p.strip() for p in parts) if part)


_THANKS = re.compile(
    r"^\s*(?:kiitos|kiitoksia|tack|thanks|thank you|many thanks)\b[^.?]{0,40}[!.]?\s*$",
    re.IGNORECASE,
)
"""A short thank-you just above the closing belongs with the closing, not the last answer."""

_GREETING = re.compile(
    r"^\s*(?:(?:hei|heippa|moi|moikka|hej|hejsan|hallå|hi|hello|hey|greetings)"
    r"(?:\s+[\w.-]+){0,3}\s*[,!.]?"
    r"|(?:terve|tervehdys|hyvä|hyvät|arvoisa|arvoisat|bästa|kära|dear"
    r"|good\s+(?:morning|afternoon|day))(?:\s+[\w.-]+){0,3}\s*[,!])\s*$",
    re.IGNORECASE,
)
"""A line that only greets ("Hei,", "Hej alla!", "Dear colleagues,"). Words that also open
prose or titles ("Hyvä käytäntö", "Terve koulu") count only with a comma or "!" after."""


def _greeting_end(lines: list[str], closing: int) -> int:
    """Index just past a greeting on the first non-empty line, or 0 when the text opens without."""
    for index in range(closing):
        if lines[index].strip():
            if not _GREETING.match(lines[index]):
                return 0
            # A greeting that is all the text says ("Hello World!") stays the answer.
            below = any(lines[after].strip() for after in range(index + 1, closing))
            return index + 1 if below else 0
    return 0


def _closing_index(lines: list[str], after: int) -> int:
    """Index of the first closing or signature line after line `after`, or len(lines)."""
    for index in range(after + 1, len(lines)):
        if signature_starts_at(lines, index):
            return _include_thanks(lines, index, after)
    return len(lines)


def _include_thanks(lines: list[str], closing: int, after: int) -> int:
    previous = closing - 1
    while previous > after and not lines[previous].strip():
        previous -= 1
    return previous if previous > after and _THANKS.match(lines[previous]) else closing


def split_sections(text: str) -> Sections:
    """The four answers found under their headings, plus everything else in `unmatched`.

    A heading repeated (say "Mitä tehtiin?" and later "Miksi?") adds to the same section. With no
    heading at all, the whole text up to the closing is the `what_and_why` answer, since free
    prose nearly always describes what was done; only a greeting line at its top goes to
    `unmatched`, as it would above a first heading.
    """
    lines = text.splitlines()
    headings = [(index, match_heading(line)) for index, line in enumerate(lines)]
    found = [(index, match) for index, match in headings if match is not None]
    # The closing is looked for after the first heading (a greeting may say "Terveisin" too),
    # and headings below it belong to the signature ("Yhteystiedot: 040 ..."), not the answers.
    closing = _closing_index(lines, found[0][0] if found else -1)
    found = [(index, match) for index, match in found if index < closing]
    tail = "\n".join(lines[closing:])

    if not found:
        greeting = _greeting_end(lines, closing)
        return Sections(
            what_and_why=_join(["\n".join(lines[greeting:closing])]),
            unmatched=_join(["\n".join(lines[:greeting]), tail]),
            preamble=_join(["\n".join(lines[:greeting])]),
        )

    collected: dict[str, list[str]] = {key: [] for key in SECTION_KEYS}
    for position, (index, match) in enumerate(found):
        end = found[position + 1][0] if position + 1 < len(found) else closing
        body = "\n".join([match.inline, *lines[index + 1 : end]])
        collected[match.key].append(body)

    before = "\n".join(lines[: found[0][0]])
    return Sections(
        what_and_why=_join(collected["what_and_why"]),
        achieved=_join(collected["achieved"]),
        next_steps=_join(collected["next_steps"]),
        more_info=_join(collected["more_info"]),
        unmatched=_join([before, tail]),
        headings_found=len({match.key for _, match in found}),
        preamble=_join([before]),
    )
