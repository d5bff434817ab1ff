"""Find the photographer's credit line ("Kuva: Maija M.") in the body text.

Finnish, Swedish and English markers are recognised at the start of a line or after an
opening bracket or a space (captions often end with "Kuva: Nimi"). Quoted reply lines are
skipped, and the credit is cut at the end of the line or a closing bracket.
"""

from __future__ import annotations

import re

_MARKERS = (
    r"kuva\s+ja\s+teksti",
    r"teksti\s+ja\s+kuva",
    r"kuvat",
    r"kuvaaja",
    r"kuva",
    r"valokuva",
    r"fotograf",
    r"foto",
    r"bild",
    r"photos",
    r"photo",
    r"photographer",
)
_CREDIT_RE = re.compile(
    r"(?:^|(?<=[\s(\[]))(?:" + "|".join(_MARKERS) + r")\s*:\s*(?P<name>[^\n)\]]{2,120})"
    r"|^\s*photo(?:graph)?\s+by\s+(?P<by>[^\n)\]]{2,120})",
    re.IGNORECASE | re.MULTILINE,
)
_MAX_CREDIT_CHARS = 120


def find_credit(text: str) -> str:
    """The first credit line's name(s), or "" when the text names no photographer."""
    for line in text.splitlines():
        if line.lstrip().startswith(">"):
            continue
        match = _CREDIT_RE.search(line)
        if match is None:
            continue
        name = (match.group("name") or match.group("by") or "").strip()
        name = name.rstrip(" .;,").strip()
        if name:
            return name[:_MAX_CREDIT_CHARS]
    return ""
