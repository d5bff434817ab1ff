"""The figures as they come (one line each) and the table printed at the end, aims beside them."""

from __future__ import annotations

import contextlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Row:
    """One figure of the final table; verdict is OK or MISSED where the figure has an aim."""

    section: str
    metric: str
    figure: str
    aim: str = ""
    verdict: str = ""


@dataclass
class Results:
    """The rows so far; each is printed as it is added, so a long run shows its progress."""

    rows: list[Row] = field(default_factory=list)

    def add(
        self, section: str, metric: str, figure: str, aim: str = "", ok: bool | None = None
    ) -> None:
        verdict = "" if ok is None else ("OK" if ok else "MISSED")
        self.rows.append(Row(section, metric, figure, aim, verdict))
        print(f"  {metric:<44} {figure}", flush=True)

    def table(self) -> str:
        widths = [max(len(getattr(r, f)) for r in self.rows) for f in ("metric", "figure", "aim")]
        lines: list[str] = []
        section = ""
        for r in self.rows:
            if r.section != section:
                section = r.section
                lines.append(f"\n{section}")
            lines.append(
                f"  {r.metric:<{widths[0]}}  {r.figure:<{widths[1]}}  {r.aim:<{widths[2]}}  "
                f"{r.verdict}"
            )
        return "\n".join(lines)


def machine_description() -> str:
    """CPU, memory and load, printed first and last: timings mean little without them."""
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"machine: nproc {os.cpu_count()}, {cpu}, {mem_gb:.0f} GiB, load average {load}, "
        f"Python {sys.version.split()[0]}"
    )
