"""A worker entry point that dies or hangs on a marked message, for the worker-crash tests.

It lives in its own module because workers import the function by name.
"""

from __future__ import annotations

import os
import time

from ingest.analysis import Interpretation
from ingest.workers import _interpret_in_worker

POISON = b"KILL-THE-WORKER"
HANG = b"NEVER-FINISHES"


def interpret_or_misbehave(raw_path: str) -> Interpretation:
    """Die on POISON, hang on HANG, interpret anything else."""
    from ingest import workers

    assert workers._worker_blobs is not None
    raw = workers._worker_blobs.read(raw_path)
    if POISON in raw:
        os._exit(70)  # what a segfault in a decoder or the OOM killer looks like from outside
    if HANG in raw:
        time.sleep(3600)  # what a decoder stuck in a loop looks like from outside
    return _interpret_in_worker(raw_path)
