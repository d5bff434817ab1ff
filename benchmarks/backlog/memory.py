"""Peak memory and CPU of a process tree, sampled from /proc while `practices poll` runs.

The poll hands photos to a fork server's interpreter workers, so its own wait4 figures miss most
of the work: the sampler walks the tree every SAMPLE_INTERVAL_SECONDS and keeps the peaks.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_INTERVAL_SECONDS = 0.05


def _status_kib(pid: int, field: str) -> int:
    """One kB figure from /proc/<pid>/status or smaps_rollup; 0 once the process is gone."""
    source = "smaps_rollup" if field == "Pss:" else "status"
    try:
        for line in Path(f"/proc/{pid}/{source}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of one process so far, from /proc/<pid>/stat; 0 once gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


def _process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (the forkserver and its interpreter workers)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        with contextlib.suppress(OSError, ValueError):
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
    return found


@dataclass
class MemorySampler:
    """Peak memory of a process tree: the largest sum of PSS seen, and the largest VmHWM.

    PSS shares pages that the workers inherited from the forkserver fairly among them, so the
    sum is what the tree really costs; VmHWM is exact per process but only for one process.
    """

    pid: int
    tree_pss_kib: int = 0
    max_hwm_kib: int = 0
    processes: int = 0
    done: threading.Event = field(default_factory=threading.Event)
    # Each process's largest PSS, by pid: says whether the daemon or a worker holds the peak.
    pss_by_pid: dict[int, int] = field(default_factory=dict)
    # Each process's CPU seconds (user + system) when last seen: workers are the fork server's
    # children, so wait4 of the poll does not count them.
    cpu_by_pid: dict[int, float] = field(default_factory=dict)

    def run(self) -> None:
        while not self.done.is_set():
            tree = _process_tree(self.pid)
            self.processes = max(self.processes, len(tree))
            sizes = {p: _status_kib(p, "Pss:") for p in tree}
            for member in tree:
                seconds = _cpu_seconds(member)
                if seconds:
                    self.cpu_by_pid[member] = seconds
            for member, kib in sizes.items():
                self.pss_by_pid[member] = max(self.pss_by_pid.get(member, 0), kib)
            self.tree_pss_kib = max(self.tree_pss_kib, sum(sizes.values()))
            for member in tree:
                self.max_hwm_kib = max(self.max_hwm_kib, _status_kib(member, "VmHWM:"))
            time.sleep(SAMPLE_INTERVAL_SECONDS)
