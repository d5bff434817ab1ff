"""Content-addressed files under data_dir, written atomically and durably.

Raw messages live at `raw/ab/<sha256>.eml` and photo derivatives at `photos/ab/<sha256>.<ext>`.
A file is written to a temporary name in the same directory, flushed, fsynced and renamed, and the
directory is fsynced, so after a crash a file either exists whole with its hash or not at all.
`fsync=False` exists for benchmarks and tests only; `sync()` lets a caller batch the fsyncs of
many writes into one pass before it commits the rows that point at them.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from core.access import can_write_dir, private_dir_fix
from core.errors import StorageError

# Personal data is readable by the service user only: directories are made with this mode, and
# files get PRIVATE_FILE_MODE (mkstemp's mode; db.py gives it to the SQLite file); `practices
# health` reports anything looser.
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def sha256_hex(data: bytes) -> str:
    """The lower-case hex SHA-256 of `data`."""
    return hashlib.sha256(data).hexdigest()


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) readable by the service user only."""
    try:
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        fix = f"; {private_dir_fix(path)}" if isinstance(exc, PermissionError) else ""
        raise StorageError(f"cannot create directory {path}: {exc.strerror}{fix}") from exc


def open_data_dir(path: Path) -> None:
    """Make sure the data directory exists and this user may create files in it, before any
    command relies on it; otherwise fail with one line that names it and the fix."""
    ensure_private_dir(path)
    if not path.is_dir():
        raise StorageError(f"data directory {path} is not a directory; set storage.data_dir")
    if not can_write_dir(path):
        raise StorageError(f"data directory {path} is not writable; {private_dir_fix(path)}")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, fsync: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file, or the new one whole."""
    ensure_private_dir(path.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                if fsync:
                    os.fsync(handle.fileno())
            Path(tmp_name).replace(path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        if fsync:
            _fsync_dir(path.parent)
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {exc.strerror}") from exc


def _load_syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2): one journal commit for a whole batch of files instead of one each."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs: Callable[[int], int] = libc.syncfs
    except (OSError, AttributeError):
        return None
    return syncfs


_SYNCFS = _load_syncfs()


def sync_files(paths: list[Path]) -> None:
    """Make the named files and their directories durable, as cheaply as the OS allows."""
    if not paths:
        return
    try:
        if _SYNCFS is not None:
            fd = os.open(paths[0].parent, os.O_RDONLY)
            try:
                if _SYNCFS(fd) == 0:
                    return
            finally:
                os.close(fd)
        for path in paths:
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        for directory in {path.parent for path in paths}:
            _fsync_dir(directory)
    except OSError as exc:
        raise StorageError(f"cannot make files durable: {exc.strerror}") from exc


class BlobStore:
    """Content-addressed storage below one data directory.

    With `fsync=True` every write is durable when the call returns, unless the caller opens a
    batch with `begin_batch()`: then writes are made durable together by `flush()`, which the
    pipeline calls right before the commit of the rows that point at them.
    """

    def __init__(self, data_dir: Path, *, fsync: bool = True) -> None:
        self.data_dir = data_dir
        self.fsync = fsync
        self._pending: list[Path] | None = None

    def begin_batch(self) -> None:
        """Defer durability of the following writes until `flush()` (joins an open batch)."""
        if self._pending is None:
            self._pending = []

    def flush(self) -> None:
        """Make every write since `begin_batch()` durable, and end the batch."""
        pending, self._pending = self._pending, None
        if self.fsync and pending:
            sync_files(pending)

    def track(self, *relatives: str) -> None:
        """Include files written by another process (a worker) in the durability of this batch."""
        paths = [self.data_dir / r for r in relatives if r]
        if self._pending is not None:
            self._pending.extend(paths)
        elif self.fsync and paths:
            sync_files(paths)

    def _write(self, path: Path, data: bytes) -> None:
        if self._pending is None:
            atomic_write(path, data, fsync=self.fsync)
        else:
            atomic_write(path, data, fsync=False)
            self._pending.append(path)

    def path_of(self, relative: str) -> Path:
        """The absolute path of a stored file given its relative path."""
        return self.data_dir / relative

    @staticmethod
    def raw_relative(sha256: str) -> str:
        """Where the raw message with this hash is kept, relative to data_dir."""
        return f"raw/{sha256[:2]}/{sha256}.eml"

    def put(self, relative: str, data: bytes) -> str:
        """Store `data` at `relative` unless a file is already there (content-addressed)."""
        path = self.data_dir / relative
        if not path.exists():
            self._write(path, data)
        return relative

    def put_raw(self, raw: bytes) -> tuple[str, str]:
        """Archive a raw message; returns (sha256, relative path). Idempotent."""
        digest = sha256_hex(raw)
        relative = self.raw_relative(digest)
        path = self.data_dir / relative
        if path.exists() and sha256_hex(path.read_bytes()) == digest:
            return digest, relative
        self._write(path, raw)
        return digest, relative

    def put_derivative(self, data: bytes, extension: str, kind: str = "photos") -> str:
        """Store a derived file by the hash of its own bytes; returns its relative path."""
        digest = sha256_hex(data)
        return self.put(f"{kind}/{digest[:2]}/{digest}.{extension.lstrip('.')}", data)

    def read(self, relative: str) -> bytes:
        """The bytes of a stored file."""
        return (self.data_dir / relative).read_bytes()
