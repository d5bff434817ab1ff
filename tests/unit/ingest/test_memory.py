"""A process that handles large raw messages gives their memory back once they are dropped."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROGRAM = """
import os, sys
from ingest.memory import return_large_blocks_to_the_os

def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

if sys.argv[1] == "fixed":
    assert return_large_blocks_to_the_os()
before = resident_mb()
for size in (24, 16, 20):  # a message freed raises glibc's threshold; the next one stays
    message = os.urandom(size * 2**20)
    del message
print(resident_mb() - before)
"""


def _kept_after_messages(mode: str) -> float:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, check=True
    )
    return float(result.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_large_messages_leave_no_resident_memory_behind() -> None:
    assert _kept_after_messages("fixed") < 4
    # The default behaviour this guards against: the last message stays resident.
    assert _kept_after_messages("default") > 10
