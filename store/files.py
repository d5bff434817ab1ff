"""Content-addressed files under data_dir, written atomically and durably.

Raw messages live at `raw/ab/<sha256>.eml` and photo derivatives at `photos/ab/<sha256>.<ext>`.
A file is written to a temporary name in the same directory, flushed, fsynced and renamed, and the
directory is fsynced, so after a crash a file either exists whole with its hash or not at all.
`fsync=False` exists for benchmarks and tests only; `sync()` lets a caller batch the fsyncs of
many writes into one pass before it commits the rows that point at them.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from practices.errors import StorageError

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
        raise StorageError(f"cannot create directory {path}: {exc.strerror}") from exc


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


class BlobStore:
    """Content-addressed storage below one data directory."""

    def __init__(self, data_dir: Path, *, fsync: bool = True) -> None:
        self.data_dir = data_dir
        self.fsync = fsync
        self._unsynced_dirs: set[Path] = set()

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
            atomic_write(path, data, fsync=self.fsync)
        return relative

    def put_raw(self, raw: bytes) -> tuple[str, str]:
        """Archive a raw message; returns (sha256, relative path). Idempotent."""
        digest = sha256_hex(raw)
        relative = self.raw_relative(digest)
        path = self.data_dir / relative
        if path.exists() and sha256_hex(path.read_bytes()) == digest:
            return digest, relative
        atomic_write(path, raw, fsync=self.fsync)
        return digest, relative

    def put_derivative(self, data: bytes, extension: str, kind: str = "photos") -> str:
        """Store a derived file by the hash of its own bytes; returns its relative path."""
        digest = sha256_hex(data)
        return self.put(f"{kind}/{digest[:2]}/{digest}.{extension.lstrip('.')}", data)

    def read(self, relative: str) -> bytes:
        """The bytes of a stored file."""
        return (self.data_dir / relative).read_bytes()
