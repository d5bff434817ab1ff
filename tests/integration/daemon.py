"""A `practices run` daemon in its own process, for tests that watch it work, scrape or kill it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from tests.integration.harness import REPO

WAIT_SECONDS = 60.0


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RunningDaemon:
    """`practices --config CONFIG run`, its output in `log`; stopped with SIGTERM or SIGKILL."""

    def __init__(self, config: Path, log: Path, env: dict[str, str]) -> None:
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "practices", "--config", str(config), "run"],
                cwd=REPO,
                env={**os.environ, **env},
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        """Wait until `condition()` holds while the daemon lives; fail with its log if not."""
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if self.process.poll() is not None:
                raise AssertionError(f"daemon exited ({self.process.returncode}):\n{self.output()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} in {WAIT_SECONDS} s:\n{self.output()[-4000:]}")
            time.sleep(0.1)

    def wait_for_log(self, text: str, count: int = 1) -> None:
        self.wait_for(lambda: self.output().count(text) >= count, repr(text))

    def stop(self) -> int:
        """SIGTERM, as systemd stops it; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=WAIT_SECONDS)

    def kill(self) -> None:
        """SIGKILL: no chance to clean up, as when the machine or the OOM killer ends it."""
        self.process.kill()
        self.process.wait(timeout=WAIT_SECONDS)


def scrape(port: int) -> str:
    """The text of http://127.0.0.1:PORT/metrics."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        return str(response.read().decode("utf-8"))
