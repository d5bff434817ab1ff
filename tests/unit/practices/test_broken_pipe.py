"""`practices ... | head` ends quietly when the reader stops early."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_a_closed_pipe_ends_the_command_quietly_with_exit_0() -> None:
    command = [sys.executable, "-m", "practices", "--config", "config.example.toml", "check-config"]
    with subprocess.Popen(
        command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # like `head` that has read enough before the command writes
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0
    assert stderr == ""
