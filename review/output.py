"""An export's folder: what it writes, what it leaves as it was, and what it removes.

Each export keeps a list of the files it made (`MANIFEST`, JSON, in the folder). The next
export into the same folder writes only files whose bytes changed, and removes the files the
last one made that it does not make again: the page and photos of a practice that was reopened
or rejected go, files someone else put in the folder stay. Every write and removal goes through
`store.published`, so a symlink planted in the folder is replaced or removed, never followed.

A page can also be given with the fingerprint of everything it is made from
(`write_rendered`): when the list says the last export made it from the same fingerprint, and
the file still holds what was written then (its SHA-256, checked), the page is not rendered
again. That is what keeps an unchanged re-export of a thousand practices well under a second.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from store.published import publish_copy, publish_file, read_published, unpublish

MANIFEST = ".practice-inbox-export.json"
MANIFEST_SCHEMA = "practice-inbox/export-files"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class OutputFolder:
    """Files of one export into `out_dir`: `write`, `write_rendered`, `copy`; then `finish`."""

    out_dir: Path
    kind: str
    files: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rendered: dict[str, list[str]] = field(default_factory=dict)
    _previous: dict[str, Any] | None = None
    _previous_pages: dict[str, list[str]] | None = None

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

    def write_rendered(self, relative: str, fingerprint: str, render: Callable[[], str]) -> None:
        """`write_text(relative, render())`, skipping the rendering when the last export made
        the same file from the same `fingerprint` and the file is still as it was written."""
        before = self._previous_rendered().get(relative)
        if before is not None and before[0] == fingerprint:
            current = read_published(self.out_dir, relative)
            if current is not None and _sha256(current) == before[1]:
                self.rendered[relative] = before
                self._made(relative, False)
                return
        data = render().encode("utf-8")
        self.rendered[relative] = [fingerprint, _sha256(data)]
        self.write(relative, data)

    def copy(self, relative: str, source: Path) -> None:
        """Copy `source` to `relative`, a name that changes whenever its content does."""
        self._made(relative, publish_copy(self.out_dir, relative, source))

    def _manifest(self) -> dict[str, Any]:
        if self._previous is None:
            self._previous = {}
            data = read_published(self.out_dir, MANIFEST)
            try:
                document = json.loads(data) if data is not None else {}
            except ValueError:
                document = {}
            if isinstance(document, dict) and document.get("schema") == MANIFEST_SCHEMA:
                self._previous = document
        return self._previous

    def _previous_rendered(self) -> dict[str, list[str]]:
        """[fingerprint, sha256] of each page the last export rendered (read once)."""
        if self._previous_pages is None:
            rendered = self._manifest().get("rendered")
            self._previous_pages = {
                name: value
                for name, value in (rendered.items() if isinstance(rendered, dict) else ())
                if isinstance(value, list) and len(value) == 2 and all(map(_is_text, value))
            }
        return self._previous_pages

    def previous_files(self) -> list[str]:
        """The files the last export into this folder made (none if it left no list)."""
        listed = self._manifest().get("files")
        if not isinstance(listed, list):
            return []
        return [name for name in listed if isinstance(name, str) and _inside(name)]

    def finish(self) -> None:
        """Remove what the last export made and this one did not; record what this one made."""
        made = set(self.files)
        for relative in sorted(set(self.previous_files()) - made):
            if unpublish(self.out_dir, relative):
                self.removed.append(relative)
        document = {
            "schema": MANIFEST_SCHEMA,
            "kind": self.kind,
            "files": sorted(made),
            "rendered": dict(sorted(self.rendered.items())),
        }
        text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
        publish_file(self.out_dir, MANIFEST, text.encode("utf-8"))


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _inside(relative: str) -> bool:
    """Whether a listed name stays inside the folder (a tampered list removes nothing else)."""
    parts = relative.split("/")
    return bool(relative) and not relative.startswith("/") and ".." not in parts and "" not in parts
