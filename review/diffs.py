"""Side-by-side differences of two texts, line by line with the changed words marked.

The console shows every change of a draft's history and every conflict this way: the whole old
text on the left, the whole new one on the right, lines paired, and within a changed line the
words that differ marked, so a one-letter fix in a long paragraph is found at a glance and
nothing is cut short (the command line's history used to cut at 58 characters).

    >>> rows = side_by_side("Asukasilta pidettiin.", "Asukasilta pidettiin keväällä.")
    >>> [(r.kind, [s.text for s in r.right if s.changed]) for r in rows]
    [('changed', [' keväällä.'])]
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text on one side; `changed` when it differs from the other side."""

    text: str
    changed: bool


@dataclass(frozen=True, slots=True)
class DiffRow:
    """One line of each side; a side is empty where the other side added or removed a line.

    `kind` is "same", "changed", "removed" (only left) or "added" (only right).
    """

    kind: str
    left: tuple[Segment, ...]
    right: tuple[Segment, ...]


def _tokens(line: str) -> list[str]:
    return _TOKEN.findall(line)


def _merged(parts: list[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for part in parts:
        if out and out[-1].changed == part.changed:
            out[-1] = Segment(out[-1].text + part.text, part.changed)
        elif part.text:
            out.append(part)
    return tuple(out)


def word_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Both lines cut into segments, the differing words marked on each side."""
    a, b = _tokens(old), _tokens(new)
    left: list[Segment] = []
    right: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        same = tag == "equal"
        left.append(Segment("".join(a[i1:i2]), not same))
        right.append(Segment("".join(b[j1:j2]), not same))
    return _merged(left), _merged(right)


def _lines(text: object) -> list[str]:
    if text is None:
        return []
    return str(text).replace("\r\n", "\n").split("\n")


def side_by_side(old: object, new: object) -> list[DiffRow]:
    """Every line of `old` and `new`, paired; `None` counts as no text at all."""
    a, b = _lines(old), _lines(new)
    rows: list[DiffRow] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            rows += [
                DiffRow("same", (Segment(line, False),), (Segment(line, False),))
                for line in a[i1:i2]
            ]
            continue
        old_lines, new_lines = a[i1:i2], b[j1:j2]
        for index in range(max(len(old_lines), len(new_lines))):
            left = old_lines[index] if index < len(old_lines) else None
            right = new_lines[index] if index < len(new_lines) else None
            if left is not None and right is not None:
                rows.append(DiffRow("changed", *word_diff(left, right)))
            elif left is not None:
                rows.append(DiffRow("removed", (Segment(left, True),), ()))
            elif right is not None:
                rows.append(DiffRow("added", (), (Segment(right, True),)))
    return rows


def folded(rows: list[DiffRow], context: int = 2) -> list[list[DiffRow]]:
    """The rows in runs: changed runs whole, unchanged runs longer than 2 × `context` + 1 split
    into their edges and a middle that a view may fold away (every odd-numbered run)."""
    runs: list[list[DiffRow]] = [[]]
    unchanged: list[DiffRow] = []

    def flush_unchanged(last: bool) -> None:
        head = context if len(runs[-1]) or len(runs) > 1 else 0
        tail = 0 if last else context
        if len(unchanged) > head + tail + 1:
            runs[-1].extend(unchanged[:head])
            runs.append(unchanged[head : len(unchanged) - tail])
            runs.append(unchanged[len(unchanged) - tail :])
        else:
            runs[-1].extend(unchanged)
        unchanged.clear()

    for row in rows:
        if row.kind == "same":
            unchanged.append(row)
        else:
            flush_unchanged(last=False)
            runs[-1].append(row)
    flush_unchanged(last=True)
    return runs
