"""A summary of a py-spy raw profile of the poll (--profile): where the on-CPU samples went."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from benchmarks.backlog.settings import REPO


def summarise_profile(path: Path, top: int = 14) -> str:
    """Shares of CPU samples over the whole process tree (py-spy --subprocesses), three ways.

    self: the innermost frame; ours: the innermost frame of this repository (so time in the
    stdlib or a library is charged to the project function that called it); inclusive: every
    project function on the stack.
    """
    own: Counter[str] = Counter()
    ours: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        total += count
        own[_frame_name(frames[-1])] += count
        project = [_frame_name(f) for f in frames if _is_project_frame(f)]
        if project:
            ours[project[-1]] += count
        for name in set(project):
            inclusive[name] += count
    if not total:
        return "(no samples)"

    def listing(title: str, counts: Counter[str], n: int) -> list[str]:
        return [f"    {title}:"] + [
            f"      {100 * c / total:5.1f}%  {name}" for name, c in counts.most_common(n)
        ]

    return "\n".join(
        [
            f"    {total} on-CPU samples at 200 Hz, poll process and workers together",
            *listing("self time (innermost frame)", own, top),
            *listing("charged to our innermost function", ours, top),
            *listing("inclusive, our functions", inclusive, top + 10),
        ]
    )


def _is_project_frame(frame: str) -> bool:
    where = frame.partition(" (")[2]
    return where.startswith(str(REPO)) and "/.venv/" not in where


def _frame_name(frame: str) -> str:
    """'fn (path/file.py:12)' -> 'fn (dir/file.py)': aggregate a function over its lines."""
    name, _, where = frame.partition(" (")
    file_part = where.rsplit(":", 1)[0].rstrip(")")
    parts = Path(file_part).parts
    short = "/".join(parts[-2:]) if parts else file_part
    return f"{name} ({short})"
