"""Interpreting messages on the other CPU cores, so parsing and photos overlap with I/O.

Python's email parser and the understanding steps hold the GIL, so threads would not help: the
`Interpreter` hands archived raw messages to worker processes by path (`[processing] workers`,
default one per core) and gives back their interpretations in arrival order, while the daemon's
own process fetches the next batch, records and moves. A small batch (the daemon's usual
trickle) or `workers = 1` is interpreted in this process: starting workers costs about a
second, worth it only for a backlog.
Workers write photo derivatives without fsync; the pipeline makes them durable with the batch's
raw files before it commits.

A message that kills its worker (a crash in a C library, the kernel's OOM killer) must not take
the daemon or its batch with it: the pool is rebuilt, the unfinished messages are retried one at
a time, and the one that kills a worker again is reported as `WorkerCrashed` (recorded failed).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial

from sqlalchemy.exc import OperationalError

from ingest.analysis import Interpretation, interpret
from practices.config import Settings
from practices.errors import MessageError, StorageError
from store.files import BlobStore

log = logging.getLogger(__name__)

# Trouble that is not the message's fault: the cycle stops and the message is fetched again.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (StorageError, OperationalError)


class WorkerCrashed(MessageError):
    """Raised for a message whose worker process died while interpreting it."""


# Set once in each worker process by `_start_worker`; never used in the daemon's own process.
_worker_settings: Settings | None = None
_worker_blobs: BlobStore | None = None


PR_SET_PDEATHSIG = 1
POOL_MIN_MESSAGES = 16
POOL_MIN_BYTES = 8 * 1024 * 1024


def _die_with_parent(parent_pid: int) -> None:
    """Make this worker end with the daemon: a SIGKILLed daemon must leave no orphans.

    A worker blocked on its queue would otherwise wait forever (it holds the queue's write end
    itself). PDEATHSIG covers a later death; the pid check covers one during our start-up.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        log.debug("prctl(PR_SET_PDEATHSIG) unavailable")
    if os.getppid() != parent_pid:
        os._exit(0)


def _start_worker(settings: Settings, parent_pid: int) -> None:
    global _worker_settings, _worker_blobs
    _die_with_parent(parent_pid)
    # Ctrl-C and SIGTERM are the daemon's business; a worker finishes the message it holds.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker_settings = settings
    _worker_blobs = BlobStore(settings.data_dir, fsync=False)


def _interpret_in_worker(raw_path: str) -> Interpretation:
    """Read the archived raw message (from the page cache: cheaper than a pipe) and interpret it."""
    assert _worker_settings is not None and _worker_blobs is not None
    raw = _worker_blobs.read(raw_path)
    return interpret(raw, settings=_worker_settings, blobs=_worker_blobs).without_payloads()


@dataclass(frozen=True, slots=True)
class RawMessage:
    """A message to interpret: where its archived raw lies (what a worker reads) and its bytes.

    Only the path crosses to a worker, so the daemon can let go of the bytes as soon as the
    messages are handed over; the bytes serve interpretation in this process.
    """

    path: str
    data: bytes


class Interpreter:
    """Interprets raw messages in order, in worker processes when that pays."""

    def __init__(self, settings: Settings, blobs: BlobStore) -> None:
        self.settings = settings
        self.blobs = blobs
        self.workers = settings.workers or os.cpu_count() or 1
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        # Spawned, not forked: the daemon has scheduler threads, and a fork could copy a lock
        # that one of them holds. Workers are the daemon's own children, so PDEATHSIG works.
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self.settings, os.getpid()),
        )

    def start(self, raws: Sequence[RawMessage]) -> Iterator[Interpretation | Exception]:
        """Start interpreting `raws`; iterate the result for each one's interpretation, or the
        exception it raised, in the order given.

        With workers the messages are handed over now, so the caller can fetch the next batch
        while they work, and the returned iterator holds only their paths. A message's own
        failure is yielded, not raised, so the rest of the batch goes on; transient errors
        (StorageError from a derivative write, see TRANSIENT_ERRORS) propagate. Closing the
        iterator early (the daemon is stopping) cancels what has not started.
        """
        if not self._worth_a_pool(raws):
            return self._in_process([raw.data for raw in raws])
        if self._pool is None:
            self._pool = self._new_pool()
        paths = [raw.path for raw in raws]
        futures = [self._pool.submit(_interpret_in_worker, path) for path in paths]
        return self._collect(futures, paths)

    def interpret_all(self, raws: Sequence[RawMessage]) -> Iterator[Interpretation | Exception]:
        """`start`, for callers with nothing to do meanwhile."""
        return self.start(raws)

    def _in_process(self, datas: list[bytes]) -> Generator[Interpretation | Exception, None, None]:
        for data in datas:
            yield self._guarded(partial(interpret, data, settings=self.settings, blobs=self.blobs))

    def _collect(
        self, futures: list[Future[Interpretation]], paths: list[str]
    ) -> Generator[Interpretation | Exception, None, None]:
        try:
            for index, future in enumerate(futures):
                try:
                    yield self._guarded(future.result)
                except BrokenProcessPool:
                    yield from self._after_crash(paths[index:])
                    return
        finally:
            for future in futures:
                future.cancel()

    def _worth_a_pool(self, raws: Sequence[RawMessage]) -> bool:
        """Workers take about a second to start: use them for a backlog, not for a trickle."""
        if self.workers <= 1 or len(raws) <= 1:
            return False
        return self._pool is not None or (
            len(raws) >= POOL_MIN_MESSAGES or sum(len(raw.data) for raw in raws) >= POOL_MIN_BYTES
        )

    @staticmethod
    def _guarded(produce: Callable[[], Interpretation]) -> Interpretation | Exception:
        try:
            return produce()
        except TRANSIENT_ERRORS:
            raise
        except BrokenProcessPool:
            raise
        except Exception as exc:  # noqa: BLE001 - handed to the pipeline, which records it
            return exc

    def _after_crash(self, paths: Sequence[str]) -> Iterator[Interpretation | Exception]:
        """A worker died: retry the rest one by one in fresh pools to find the culprit."""
        log.error("a worker process died; retrying %d message(s) one at a time", len(paths))
        self.close()
        for path in paths:
            self._pool = self._new_pool()
            future: Future[Interpretation] = self._pool.submit(_interpret_in_worker, path)
            try:
                yield self._guarded(future.result)
            except BrokenProcessPool:
                self.close()
                yield WorkerCrashed(
                    "the worker process died while reading this message (a crash in a "
                    "decoder or out of memory); it is kept for `practices retry`"
                )

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
