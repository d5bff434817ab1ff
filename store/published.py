"""Files published for others to read (exports, the newsletter), never through a planted link.

An export folder may be shared with a web server, a site generator or other people, so nothing
below the folder is followed if it is a symlink: each directory is opened with O_NOFOLLOW (a
planted link is replaced by a real directory), new content goes to a temporary file created with
O_EXCL and O_NOFOLLOW under an unguessable name and is renamed over its name, which replaces a
link there rather than writing through it, and removal unlinks the name itself. Readers see the
old file or the new one whole. Files get ordinary (umask) permissions, not the data directory's
private ones: whoever publishes the folder must read them.

Every function returns whether it changed anything, so an export can say what it wrote and an
unchanged export rewrites nothing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import StorageError

_COPY_CHUNK = 1 << 20


def _open_subdirectory(parent_fd: int, name: str, *, create: bool = True) -> int:
    """Open (creating it if need be) directory `name` in `parent_fd`, never through a symlink:
    a symlink planted there is removed and a real directory made in its place."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
    for _attempt in range(3):
        try:
            return os.open(name, flags, dir_fd=parent_fd)
        except FileNotFoundError:
            if not create:
                raise
            with contextlib.suppress(FileExistsError):
                os.mkdir(name, dir_fd=parent_fd)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.ENOTDIR) or not stat.S_ISLNK(
                os.lstat(name, dir_fd=parent_fd).st_mode
            ):
                raise
            if not create:
                raise FileNotFoundError(errno.ENOENT, "a link, not a folder", name) from exc
            os.unlink(name, dir_fd=parent_fd)
    raise FileExistsError(errno.EEXIST, "keeps changing while it is opened", name)


@contextmanager
def _folder(out_dir: Path, relative: str, *, create: bool = True) -> Iterator[tuple[int, str]]:
    """The opened folder holding `relative` and the file's name in it; StorageError on trouble."""
    *folders, name = relative.split("/")
    try:
        if create:
            out_dir.mkdir(parents=True, exist_ok=True)
        directory = os.open(out_dir, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for folder in folders:
                inner = _open_subdirectory(directory, folder, create=create)
                os.close(directory)
                directory = inner
            yield directory, name
        finally:
            os.close(directory)
    except FileNotFoundError:
        if create:
            raise StorageError(f"cannot write {out_dir / relative}: folder vanished") from None
        raise
    except OSError as exc:
        raise StorageError(f"cannot write {out_dir / relative}: {exc.strerror}") from exc


def _regular(directory_fd: int, name: str) -> int | None:
    """`name` opened for reading if it is a regular file (not a link, FIFO or device)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=directory_fd)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        return None
    return fd


def _holds(directory_fd: int, name: str, data: bytes) -> bool:
    """Whether `name` is a regular file holding exactly `data`."""
    fd = _regular(directory_fd, name)
    if fd is None:
        return False
    with os.fdopen(fd, "rb") as handle:
        return os.fstat(handle.fileno()).st_size == len(data) and handle.read() == data


def _replace(directory_fd: int, name: str, fill: Callable[[int], None], shown: Path) -> None:
    """Create a fresh temporary file, let `fill` write it, rename it over `name`; a failure is
    a StorageError naming `shown`."""
    partial = f".{name}.{secrets.token_hex(8)}.partial"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    try:
        fd = os.open(partial, flags, 0o666, dir_fd=directory_fd)
        try:
            try:
                fill(fd)
            finally:
                os.close(fd)
            os.rename(partial, name, src_dir_fd=directory_fd, dst_dir_fd=directory_fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(partial, dir_fd=directory_fd)
            raise
    except OSError as exc:
        raise StorageError(f"cannot write {shown}: {exc.strerror}") from exc


def publish_file(out_dir: Path, relative: str, data: bytes) -> bool:
    """Write `data` to `out_dir/relative`; False when the file already held exactly that."""

    def fill(fd: int) -> None:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]

    with _folder(out_dir, relative) as (directory, name):
        if _holds(directory, name, data):
            return False
        _replace(directory, name, fill, out_dir / relative)
        return True


def publish_copy(out_dir: Path, relative: str, source: Path) -> bool:
    """Copy the file `source` to `out_dir/relative`; False when it was there already.

    The caller names copies by their content's hash, so a regular file of the same name and
    size already holds these bytes and is not read again: an unchanged export of a thousand
    photos costs a thousand `fstat`s, not a gigabyte of reading.
    """
    try:
        source_fd = os.open(source, os.O_RDONLY)
    except OSError as exc:
        raise StorageError(f"cannot read {source}: {exc.strerror}") from exc
    try:
        size = os.fstat(source_fd).st_size

        def fill(fd: int) -> None:
            offset = 0
            while offset < size:
                sent = os.sendfile(fd, source_fd, offset, min(_COPY_CHUNK, size - offset))
                if sent == 0:
                    raise OSError(errno.EIO, "source shrank while copied", str(source))
                offset += sent

        with _folder(out_dir, relative) as (directory, name):
            existing = _regular(directory, name)
            if existing is not None:
                same = os.fstat(existing).st_size == size
                os.close(existing)
                if same:
                    return False
            _replace(directory, name, fill, out_dir / relative)
            return True
    finally:
        os.close(source_fd)


def read_published(out_dir: Path, relative: str) -> bytes | None:
    """The bytes of a regular file at `out_dir/relative`, or None (absent, a link, a FIFO)."""
    try:
        with _folder(out_dir, relative, create=False) as (directory, name):
            fd = _regular(directory, name)
            if fd is None:
                return None
            with os.fdopen(fd, "rb") as handle:
                return handle.read()
    except FileNotFoundError:
        return None


def unpublish(out_dir: Path, relative: str) -> bool:
    """Remove `out_dir/relative` (a file, or a link itself, never what it points to).

    False when nothing was there or the name is a directory, which is left alone.
    """
    try:
        with _folder(out_dir, relative, create=False) as (directory, name):
            try:
                os.unlink(name, dir_fd=directory)
            except (FileNotFoundError, IsADirectoryError):
                return False
            except OSError as exc:
                if exc.errno in (errno.EISDIR, errno.EPERM):
                    return False
                raise StorageError(f"cannot remove {out_dir / relative}: {exc.strerror}") from exc
            return True
    except FileNotFoundError:
        return False
