"""A CPU-time limit for one step on hostile input: decoding an image, reading a document.

Size and count limits catch the bombs we know; this catches the ones we do not. The step runs
under `cpu_time_limit(seconds, make_error)`: the kernel sends SIGPROF once this process has
spent `seconds` more CPU time, and the handler raises `make_error()` in the main thread, at the
next point where the step returns to Python (Pillow decodes, and pypdf and lxml parse, in
chunks that do so many times a second). A C routine that never returns to Python is not
interrupted; the worker's message timeout (`processing.message_timeout_seconds`) is the last
line of defence for that, as it is for anything running outside the main thread, where signals
cannot reach (the daemon's scheduler thread with `workers = 1`).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

# Whether a limit is armed in this process: limits do not nest, the outer one keeps counting.
_armed = False


def _can_limit() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def cpu_time_limit(seconds: float, make_error: Callable[[], Exception]) -> Iterator[None]:
    """Raise `make_error()` inside the block once it has used `seconds` of CPU time."""
    global _armed
    if _armed or not _can_limit():
        yield
        return
    live = [True]

    def on_timer(_signum: int, _frame: FrameType | None) -> None:
        # A signal already on its way when the block ended must not raise outside it.
        if live[0]:
            raise make_error()

    previous = signal.signal(signal.SIGPROF, on_timer)
    _armed = True
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        live[0] = False
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, signal.SIG_DFL if previous is None else previous)
        _armed = False
