"""An export's folder: what it writes, what it leaves as it was, and what it removes.

Each export keeps a list of the files it made (`MANIFEST`, JSON, in the folder). The next
export into the same folder writes only files whose bytes changed, and removes the files the
last one made that it does not make again: the page and photos of a practice that was reopened
or rejected go, files someone else put in the folder stay. Every write and removal goes through
`store.published`, so a symlink planted in the folder is replaced or removed, never followed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from store.published import publish_copy, publish_file, read_published, unpublish

MANIFEST = ".practice-inbox-export.json"
MANIFEST_SCHEMA = "practice-inbox/export-files"


@dataclass
class OutputFolder:
    """Files of one export into `out_dir`: call `write`/`copy` for each, then `finish`."""

    out_dir: Path
    kind: str
    files: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def _made(self, relative: str, changed: bool) -> None:
        self.files.append(relative)
        if changed:
            self.written.append(relative)

    def write(self, relative: str, data: bytes) -> None:
        """Make `relative` hold `data` (untouched when it already does)."""
        self._made(relative, publish_file(self.out_dir, relative, data))

    def write_text(self, relative: str, text: str) -> None:
        """`write` of UTF-8 text."""
        self.write(relative, text.encode("utf-8"))

    def copy(self, relative: str, source: Path) -> None:
        """Copy `source` to `relative`, a name that changes whenever its content does."""
        self._made(relative, publish_copy(self.out_dir, relative, source))

    def previous_files(self) -> list[str]:
        """The files the last export into this folder made (none if it left no list)."""
        data = read_published(self.out_dir, MANIFEST)
        if data is None:
            return []
        try:
            document = json.loads(data)
            listed = document["files"] if document.get("schema") == MANIFEST_SCHEMA else []
        except (ValueError, TypeError, KeyError, AttributeError):
            return []
        return [name for name in listed if isinstance(name, str) and _inside(name)]

    def finish(self) -> None:
        """Remove what the last export made and this one did not; record what this one made."""
        made = set(self.files)
        for relative in sorted(set(self.previous_files()) - made):
            if unpublish(self.out_dir, relative):
                self.removed.append(relative)
        document = {"schema": MANIFEST_SCHEMA, "kind": self.kind, "files": sorted(made)}
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        publish_file(self.out_dir, MANIFEST, text.encode("utf-8"))


def _inside(relative: str) -> bool:
    """Whether a listed name stays inside the folder (a tampered list removes nothing else)."""
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and ".." not in parts and "" not in parts
