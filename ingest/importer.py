"""Backfill from files: an .eml, a folder of them, a Maildir or an mbox, through the same pipeline.

Imported messages have no UID; they are keyed by their raw hash like everything else, so
importing the same export twice creates nothing new.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path

from core.errors import PracticesError

IMPORT_MAILBOX = "import"


def _is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def iter_raw_messages(path: Path) -> Iterator[tuple[str, bytes]]:
    """Yield (label, raw bytes) for every message found at `path`, in a stable order."""
    if not path.exists():
        raise PracticesError(f"nothing to import: {path} does not exist")
    if path.is_file():
        if _is_mbox(path):
            box = mailbox.mbox(path, create=False)
            try:
                for index, key in enumerate(sorted(box.keys())):
                    yield f"{path.name}#{index + 1}", box.get_bytes(key)
            finally:
                box.close()
        else:
            yield path.name, path.read_bytes()
        return
    if _is_maildir(path):
        maildir = mailbox.Maildir(path, create=False)
        for key in sorted(maildir.keys()):
            yield key, maildir.get_bytes(key)
        return
    files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    for file in files:
        if file.suffix.lower() in (".eml", ".msg", ".txt", "") or file.parent.name in (
            "cur",
            "new",
        ):
            yield str(file.relative_to(path)), file.read_bytes()
