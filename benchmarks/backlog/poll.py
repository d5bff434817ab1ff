"""The system under test: `practices poll` run as a child, in-process, and from a cold start.

Each poll gets its own configuration (fsync on, the benchmark's FETCH budget) and database; the
child's time, CPU and peak memory come back as a PollRun.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.backlog.memory import MemorySampler
from benchmarks.backlog.profiling import summarise_profile
from benchmarks.backlog.settings import PASSWORD_ENV, REPO
from devserver.dovecot import DovecotServer


@dataclass
class PollRun:
    """What one `practices poll` cost: wall time, CPU, peak memory, and its one-line summary."""

    seconds: float
    summary: str
    tree_mb: float  # largest sum of PSS over the poll process and its workers
    vmhwm_mb: float  # largest VmHWM of any one of them
    maxrss_mb: float
    processes: int
    profile: str = ""
    cpu_seconds: float = 0.0  # user + system of the poll process itself (wait4)
    helper_cpu_seconds: float = 0.0  # of the fork server and workers, last seen in /proc
    main_pss_mb: float = 0.0  # the poll process's own largest PSS
    other_pss_mb: list[float] = field(default_factory=list)  # each helper process's largest


def write_config(
    path: Path, data_dir: Path, server: DovecotServer, user: str, batch_bytes: int
) -> Path:
    """A configuration for `user`'s mailbox with its own data_dir, and its database created."""
    path.write_text(
        f'[storage]\ndata_dir = "{data_dir}"\nfsync = true\n'
        f'[[mailbox]]\nname = "{user}"\nhost = "{server.host}"\nport = {server.imaps_port}\n'
        f"fetch_batch_bytes = {batch_bytes}\n"
        f'security = "tls"\nca_file = "{server.ca_file}"\n'
        f'username = "{user}"\npassword_env = "{PASSWORD_ENV}"\ncreate_missing_folders = true\n',
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "practices", "--config", str(path), "db", "upgrade"],
        check=True,
        capture_output=True,
        cwd=REPO,
    )
    return path


def practices_poll(config: Path, log_file: Path, profile: Path | None) -> PollRun:
    """Run `practices poll` as a child; sample the memory of it and its workers until it exits.

    wait4's ru_maxrss is printed too, but it is not clean: it covers the main process only, and
    Linux carries the parent's RSS high-water mark into a child across exec (subprocess forks
    with vfork), so it is at least this benchmark's own RSS.
    """
    started = time.perf_counter()
    with log_file.open("ab") as log:
        child = subprocess.Popen(
            [sys.executable, "-m", "practices", "--config", str(config), "poll"],
            stdout=subprocess.PIPE,
            stderr=log,
            cwd=REPO,
        )
    spy = None
    if profile is not None:
        spy = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("py-spy")),
                "record",
                "--pid",
                str(child.pid),
                "--subprocesses",
                "--nonblocking",
                "--full-filenames",
                "--rate",
                "200",
                "--format",
                "raw",
                "--output",
                str(profile),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    memory = MemorySampler(child.pid)
    sampler = threading.Thread(target=memory.run, daemon=True)
    sampler.start()
    assert child.stdout is not None
    summary = child.stdout.read().decode("utf-8", "replace").strip()
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    memory.done.set()
    sampler.join()
    if child.returncode != 0:
        raise SystemExit(f"practices poll failed ({child.returncode}); see {log_file}")
    report = ""
    if spy is not None and profile is not None:
        spy.wait(timeout=120)
        report = summarise_profile(profile) if profile.exists() else "(py-spy wrote nothing)"
    return PollRun(
        seconds,
        summary,
        memory.tree_pss_kib / 1024,
        memory.max_hwm_kib / 1024,
        usage.ru_maxrss / 1024,
        memory.processes,
        report,
        usage.ru_utime + usage.ru_stime,
        sum(s for pid, s in memory.cpu_by_pid.items() if pid != child.pid),
        memory.pss_by_pid.get(child.pid, 0) / 1024,
        sorted(
            (kib / 1024 for pid, kib in memory.pss_by_pid.items() if pid != child.pid), reverse=True
        ),
    )


def noop_in_process(config: Path) -> tuple[float, float]:
    """(first, second) call of practices.cli.main poll in this process; the second is warm."""
    from practices.cli import main as cli_main

    times = []
    for _ in range(2):
        sink = io.StringIO()
        started = time.perf_counter()
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
            code = cli_main(["--config", str(config), "poll"])
        times.append(time.perf_counter() - started)
        if code != 0:
            raise SystemExit(f"in-process poll failed ({code}): {sink.getvalue()[-2000:]}")
    return times[0], times[1]


def timed_subprocess(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=REPO)
    return time.perf_counter() - started
