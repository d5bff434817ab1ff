"""Submitted text made safe to show: control characters are made visible, never obeyed.

A sender controls every byte of a submission. Printed raw, `ESC [ 2 J` clears the editor's
screen, `ESC [ 8 m` hides the text after it, `ESC ] 0 ; ... BEL` retitles the terminal, OSC 8
makes a link whose target the editor never sees, and U+202E turns the rest of a line around:
enough to hide a sentence from the editor who approves it. `visible` replaces each such
character with a mark the editor can see, so the sequence shows up as text instead of acting:

    >>> visible("\\x1b[31mRED\\u202e")
    '␛[31mRED⟨U+202E⟩'

C0 controls and DEL become their Unicode control pictures (ESC is "␛", BEL "␇"); C1 controls
(U+0080-U+009F, which some terminals obey like ESC sequences) and the bidi overrides and isolates
(U+202A-U+202E, U+2066-U+2069) become "⟨U+XXXX⟩". Replacing the introducer is enough to disarm a
whole CSI or OSC sequence, and keeps the rest of it readable. Line feed and tab stay where a
multi-line text is shown; a single-line field shows them too ("␊").

Pure and idempotent: what it returns contains nothing it would replace.
"""

from __future__ import annotations

_C0 = range(0x00, 0x20)
_DEL = 0x7F
_C1 = range(0x80, 0xA0)
_BIDI = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
_KEPT_IN_MULTILINE = frozenset({ord("\n"), ord("\t")})


def _marks() -> dict[int, str]:
    marks = {code: chr(0x2400 + code) for code in _C0}
    marks[_DEL] = "\u2421"
    for code in (*_C1, *_BIDI):
        marks[code] = f"⟨U+{code:04X}⟩"
    return marks


_SINGLE_LINE = _marks()
_MULTILINE = {code: mark for code, mark in _SINGLE_LINE.items() if code not in _KEPT_IN_MULTILINE}


def visible(text: str, *, multiline: bool = True) -> str:
    """`text` with every control, escape and bidi override replaced by a visible mark.

    `multiline` keeps line feeds and tabs (a section's paragraphs); without it they are marked
    too, as in a title that must stay on its line.
    """
    return text.translate(_MULTILINE if multiline else _SINGLE_LINE)


# What JSON leaves unescaped (it escapes only C0, quote and backslash) but a terminal obeys.
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in (_DEL, *_C1, *_BIDI)}


def json_visible(document: str) -> str:
    """A JSON document with DEL, C1 controls and bidi overrides written as \\uXXXX escapes.

    The data is unchanged (a JSON reader gets the same strings back); only a terminal that
    shows the document is no longer steered by it. These characters occur only inside strings.
    """
    return document.translate(_JSON_ESCAPES)
