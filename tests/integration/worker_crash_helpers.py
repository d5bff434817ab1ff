"""A worker entry point that dies on a marked message, for the worker-crash test.

It lives in its own module because workers import the function by name.
"""

from __future__ import annotations

import os

from ingest.analysis import Interpretation
from ingest.workers import _interpret_in_worker

POISON = b"KILL-THE-WORKER"


def interpret_or_die(raw_path: str) -> Interpretation:
    from ingest import workers

    assert workers._worker_blobs is not None
    if POISON in workers._worker_blobs.read(raw_path):
        os._exit(70)  # what a segfault in a decoder or the OOM killer looks like from outside
    return _interpret_in_worker(raw_path)
