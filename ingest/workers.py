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

import gc
import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial

from sqlalchemy.exc import OperationalError

from core.config import Settings
from core.errors import MessageError, StorageError
from ingest.analysis import Interpretation, interpret, interpret_message
from ingest.mime import parse_message
from ingest.understand.preload import warm_up
from store.files import BlobStore

log = logging.getLogger(__name__)

# Trouble that is not the message's fault: the cycle stops and the message is fetched again.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (StorageError, OperationalError)


class WorkerCrashed(MessageError):
    """Raised for a message whose worker process died while interpreting it."""


class MessageTimedOut(MessageError):
    """Raised for a message whose worker did not finish it within the configured time."""


# Set once in each worker process by `_start_worker`; never used in the daemon's own process.
_worker_settings: Settings | None = None
_worker_blobs: BlobStore | None = None


DAEMON_POLL_SECONDS = 0.5
POOL_MIN_MESSAGES = 16
POOL_MIN_BYTES = 8 * 1024 * 1024


def _exit_with_daemon(daemon_pid: int) -> None:
    """End this worker when the daemon ends: a SIGKILLed daemon must leave no processes behind.

    Nothing else would end it: a worker blocked on its queue holds the queue's write end
    itself, and it holds the fork server's liveness pipe, so the fork server (whose child it
    is) never sees the daemon go either. A thread waits on a pidfd of the daemon (Linux 5.3),
    or polls it where pidfds are missing, and exits the process at once.
    """

    def watch() -> None:
        try:
            pidfd = os.pidfd_open(daemon_pid)
        except (AttributeError, OSError):
            pidfd = -1
        if pidfd >= 0:
            select.select([pidfd], [], [])
            os._exit(0)
        while True:
            try:
                os.kill(daemon_pid, 0)
            except ProcessLookupError:
                os._exit(0)
            except PermissionError:  # alive, under another user; never our own daemon
                pass
            time.sleep(DAEMON_POLL_SECONDS)

    threading.Thread(target=watch, name="watch-daemon", daemon=True).start()


def _start_worker(settings: Settings, daemon_pid: int) -> None:
    global _worker_settings, _worker_blobs
    # What the fork server imported is shared with it page by page until written to; keep the
    # collector from writing to every one of those objects (and so copying their pages).
    gc.freeze()
    _exit_with_daemon(daemon_pid)
    # Ctrl-C and SIGTERM are the daemon's business; a worker finishes the message it holds.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _worker_settings = settings
    _worker_blobs = BlobStore(settings.data_dir, fsync=False)
    warm_up(settings.organisations)


def _interpret_in_worker(raw_path: str) -> Interpretation:
    """Read the archived raw message (from the page cache: cheaper than a pipe) and interpret it."""
    assert _worker_settings is not None and _worker_blobs is not None
    # Nothing keeps the raw bytes once parsed: photos are decoded without them in memory.
    started = time.perf_counter()
    message = parse_message(_worker_blobs.read(raw_path), _worker_settings.limits)
    interpretation = interpret_message(
        message,
        settings=_worker_settings,
        blobs=_worker_blobs,
        parse_seconds=time.perf_counter() - started,
    )
    return interpretation.without_payloads()


@dataclass(frozen=True, slots=True)
class RawMessage:
    """A message to interpret: where its archived raw lies (what a worker reads), its size, and
    its bytes when the caller still holds them.

    Only the path crosses to a worker, so a caller that knows the batch goes to workers
    (`Interpreter.pools`) need not keep the bytes at all; in this process they save a read.
    """

    path: str
    size: int
    data: bytes | None = None


class _StillRunning(Exception):
    """A worker's result did not come within the message timeout."""


def _result_within(future: Future[Interpretation], seconds: float) -> Interpretation:
    try:
        return future.result(timeout=seconds)
    except FutureTimeout as exc:  # also a TimeoutError, which a message itself may raise
        if future.done():
            raise
        raise _StillRunning from exc


class Interpretations(Iterator[Interpretation | Exception]):
    """The results of one `Interpreter.start`, in order; `cancel()` drops the rest."""

    def __init__(
        self,
        results: Generator[Interpretation | Exception, None, None],
        futures: list[Future[Interpretation]],
    ) -> None:
        self._results = results
        self._futures = futures

    def __next__(self) -> Interpretation | Exception:
        return next(self._results)

    def cancel(self) -> None:
        # A generator never started ignores close(): withdraw the queued jobs here as well.
        for future in self._futures:
            future.cancel()
        self._results.close()


class Interpreter:
    """Interprets raw messages in order, in worker processes when that pays."""

    def __init__(self, settings: Settings, blobs: BlobStore, *, isolate: bool = False) -> None:
        self.settings = settings
        self.blobs = blobs
        self.workers = settings.workers or os.cpu_count() or 1
        # `[processing] workers = 1` asks for everything in this process, isolation or not.
        self.isolate = isolate and settings.workers != 1
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self, workers: int | None = None) -> ProcessPoolExecutor:
        # Not forked from the daemon: it has scheduler threads, and a fork could copy a lock
        # that one of them holds. The fork server is a fresh single-threaded interpreter that
        # imports the interpreting code once; workers forked from it start in milliseconds
        # instead of a second each, and share those pages (less memory per worker).
        count = workers or self.workers
        log.info("starting %d worker processes", count)
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, "ingest.understand.warm"])
        return ProcessPoolExecutor(
            max_workers=count,
            mp_context=context,
            initializer=_start_worker,
            initargs=(self.settings, os.getpid()),
        )

    def start(self, raws: Sequence[RawMessage]) -> Interpretations:
        """Start interpreting `raws`; iterate the result for each one's interpretation, or the
        exception it raised, in the order given.

        With workers the messages are handed over now, so the caller can fetch the next batch
        while they work, and the result holds only their paths. A message's own failure is
        yielded, not raised, so the rest of the batch goes on; transient errors (StorageError
        from a derivative write, see TRANSIENT_ERRORS) propagate. `cancel()` (the daemon is
        stopping, or the batch is dropped) withdraws what the workers have not started.
        """
        if not self.pools(len(raws), sum(raw.size for raw in raws)):
            return Interpretations(self._in_process(list(raws)), [])
        paths = [raw.path for raw in raws]
        pool, futures = self._submit(paths)
        return Interpretations(self._collect(pool, futures, paths), futures)

    def _in_process(
        self, raws: list[RawMessage]
    ) -> Generator[Interpretation | Exception, None, None]:
        for raw in raws:
            data = raw.data if raw.data is not None else self.blobs.read(raw.path)
            yield self._guarded(partial(interpret, data, settings=self.settings, blobs=self.blobs))

    def _submit(self, paths: list[str]) -> tuple[ProcessPoolExecutor, list[Future[Interpretation]]]:
        """Hand `paths` to the current pool; one that broke meanwhile (a worker died between
        batches, or while an earlier batch awaits collection) is replaced first."""
        for _attempt in range(2):
            if self._pool is None:
                self._pool = self._new_pool()
            pool = self._pool
            try:
                return pool, [pool.submit(_interpret_in_worker, path) for path in paths]
            except BrokenProcessPool:
                self._discard(pool)
        raise BrokenProcessPool("worker processes die as soon as they start")

    def _collect(
        self, pool: ProcessPoolExecutor, futures: list[Future[Interpretation]], paths: list[str]
    ) -> Generator[Interpretation | Exception, None, None]:
        """Results in order. A stuck or dead worker costs only its own message: that pool
        goes, and the rest of the batch is handed to the current pool (a fresh one if need be).
        """
        try:
            for index, future in enumerate(futures):
                try:
                    yield self._guarded(partial(_result_within, future, self._timeout))
                    continue
                except _StillRunning:
                    log.error("a message took too long to interpret; replacing the workers")
                    self._discard(pool, kill=True)
                    yield self._timed_out()
                except BrokenProcessPool:
                    # The first unfinished message is the likeliest culprit: it runs alone.
                    self._discard(pool)
                    yield self._alone(paths[index])
                rest = paths[index + 1 :]
                if rest:
                    fresh, refutures = self._submit(rest)
                    yield from self._collect(fresh, refutures, rest)
                return
        finally:
            for future in futures:
                future.cancel()

    @property
    def _timeout(self) -> int:
        return self.settings.message_timeout_seconds

    def _timed_out(self) -> MessageTimedOut:
        return MessageTimedOut(
            f"interpreting this message took longer than {self._timeout} s "
            "(processing.message_timeout_seconds); it is kept for `practices retry`"
        )

    def _alone(self, path: str) -> Interpretation | Exception:
        """Interpret one message in a pool of its own, after a worker died near it."""
        log.error("a worker process died; retrying the message it may have held on its own")
        pool = self._new_pool(workers=1)
        future = pool.submit(_interpret_in_worker, path)
        try:
            return self._guarded(partial(_result_within, future, self._timeout))
        except _StillRunning:
            self._discard(pool, kill=True)
            return self._timed_out()
        except BrokenProcessPool:
            return WorkerCrashed(
                "the worker process died while reading this message (a crash in a "
                "decoder or out of memory); it is kept for `practices retry`"
            )
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _discard(self, pool: ProcessPoolExecutor, *, kill: bool = False) -> None:
        """Stop a broken or stuck pool; a pool other batches now use is left alone."""
        if kill:
            # The executor has no public way to stop a running job; its process table is.
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.kill()
        pool.shutdown(wait=True, cancel_futures=True)
        if self._pool is pool:
            self._pool = None

    def pools(self, count: int, total_bytes: int) -> bool:
        """Whether a batch this large goes to workers.

        A long-running daemon isolates every message (`isolate`): its pool lives across cycles,
        and a message that crashes a decoder or hangs must not take the daemon down, or come
        back after a restart to do it again. A one-shot command pays for starting the pool
        (about half a second) only for a backlog.
        """
        if count == 0:
            return False
        if self.isolate:
            return True
        if self.workers <= 1 or count <= 1:
            return False
        return self._pool is not None or (
            count >= POOL_MIN_MESSAGES or total_bytes >= POOL_MIN_BYTES
        )

    @staticmethod
    def _guarded(produce: Callable[[], Interpretation]) -> Interpretation | Exception:
        try:
            return produce()
        except TRANSIENT_ERRORS:
            raise
        except (BrokenProcessPool, _StillRunning):
            raise
        except Exception as exc:  # noqa: BLE001 - handed to the pipeline, which records it
            return exc

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
