"""Backfill from files: an .eml, a folder of them, a Maildir or an mbox, through the same pipeline.

Imported messages have no UID; they are keyed by their raw hash like everything else, so
importing the same export twice creates nothing new. Messages are found as byte ranges of files
and read only when taken in: one larger than `limits.max_message_bytes` is never read whole
(a 1 GiB one-line header used to cost 2 GB and a 1 GiB archived raw), but recorded failed from
its first bytes and its hash, which a streaming read computes.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from core.errors import PracticesError
from core.vocabulary import IMPORT_MAILBOX
from ingest.outcomes import Recorded
from ingest.pipeline import Arrival, Pipeline

# Messages handed to the pipeline together: bounded by bytes and count, so workers share them.
BATCH_BYTES = 32 * 1024 * 1024
BATCH_MESSAGES = 64
# Bytes read of a message too large to import, for its sender and subject.
HEAD_BYTES = 64 * 1024
_READ_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FoundMessage:
    """One message at the import path: `size` bytes of `path` from `start`, not yet read."""

    label: str
    path: Path
    start: int
    size: int

    def read(self, limit: int | None = None) -> bytes:
        """The message's bytes (its first `limit` bytes, if given)."""
        with self.path.open("rb") as handle:
            handle.seek(self.start)
            return handle.read(self.size if limit is None else min(limit, self.size))

    def sha256(self) -> str:
        """The message's SHA-256, read a piece at a time."""
        digest = hashlib.sha256()
        with self.path.open("rb") as handle:
            handle.seek(self.start)
            left = self.size
            while left > 0 and (piece := handle.read(min(_READ_BYTES, left))):
                digest.update(piece)
                left -= len(piece)
        return digest.hexdigest()


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def _whole(label: str, path: Path) -> FoundMessage:
    return FoundMessage(label, path, 0, path.stat().st_size)


def _mbox_messages(path: Path) -> Iterator[FoundMessage]:
    """Split an mbox as Python's `mailbox.mbox` does (a message runs from the line after its
    "From " line to the next one, less one blank line before it), without holding a line."""
    starts: list[int] = []
    position = 0
    last_was_empty = False
    with path.open("rb") as handle:
        while line := handle.readline(_READ_BYTES):
            line_start = position
            is_from = line.startswith(b"From ")
            last = line
            position += len(line)
            while not last.endswith(b"\n") and (last := handle.readline(_READ_BYTES)):
                position += len(last)  # the rest of a very long line
            if is_from:
                if starts:
                    yield _mbox_span(path, len(starts), starts[-1], line_start, last_was_empty)
                starts.append(position)
                last_was_empty = False
            else:
                last_was_empty = line == b"\n"
    if starts:
        yield _mbox_span(path, len(starts), starts[-1], position, last_was_empty)


def _mbox_span(path: Path, number: int, start: int, end: int, blank_before: bool) -> FoundMessage:
    end = end - 1 if blank_before else end
    return FoundMessage(f"{path.name}#{number}", path, start, max(0, end - start))


def _maildir_messages(path: Path) -> Iterator[FoundMessage]:
    """The messages of new/ and cur/, by key (the name before ':'), as `mailbox.Maildir`."""
    found: dict[str, Path] = {}
    for sub in ("new", "cur"):
        for entry in os.scandir(path / sub):
            if not entry.is_dir():
                found[entry.name.split(":")[0]] = Path(entry.path)
    for key in sorted(found):
        yield _whole(key, found[key])


def find_messages(path: Path) -> Iterator[FoundMessage]:
    """Every message found at `path`, in a stable order, without reading any."""
    if not path.exists():
        raise PracticesError(f"nothing to import: {path} does not exist")
    if path.is_file():
        yield from _mbox_messages(path) if _is_mbox(path) else [_whole(path.name, path)]
        return
    if _is_maildir(path):
        yield from _maildir_messages(path)
        return
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    for file in files:
        if file.suffix.lower() in (".eml", ".msg", ".txt", "") or file.parent.name in (
            "cur",
            "new",
        ):
            yield _whole(str(file.relative_to(path)), file)


def import_messages(
    pipeline: Pipeline, path: Path, max_bytes: int
) -> Iterator[tuple[str, Recorded]]:
    """Ingest every message at `path`, in batches, yielding (label, what became of it) in
    order; one over `max_bytes` is recorded failed without being read or archived."""
    batch: list[FoundMessage] = []
    size = 0
    folder = str(path)

    def take_in() -> Iterator[tuple[str, Recorded]]:
        arrivals = [Arrival(found.read(), IMPORT_MAILBOX, folder=folder) for found in batch]
        for found, recorded in zip(batch, pipeline.ingest_batch(arrivals), strict=True):
            yield found.label, recorded

    for found in find_messages(path):
        if batch and (size + found.size > BATCH_BYTES or len(batch) >= BATCH_MESSAGES):
            yield from take_in()
            batch, size = [], 0
        if found.size > max_bytes:
            yield from take_in()
            batch, size = [], 0
            recorded = pipeline.record_oversize(
                found.read(HEAD_BYTES), IMPORT_MAILBOX, folder, None, None, found.size,
                max_bytes, raw_sha256=found.sha256(),
            )  # fmt: skip
            yield found.label, recorded
            continue
        batch.append(found)
        size += found.size
    yield from take_in()
