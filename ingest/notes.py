"""A note for the editor from ingestion: a code and its parameters, worded where shown.

Notes are what understanding and photo processing noticed that is no reason for review (the
forwarder's covering words, an image taken for a logo and why). They are stored on the draft as
`{"code", "params"}` items and worded by `core.catalogue.note_text` in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.vocabulary import NoteCode


@dataclass(frozen=True, slots=True)
class Note:
    """One thing an editor may want to know; `params` holds JSON values only."""

    code: NoteCode
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The stored form, `{"code": ..., "params": {...}}`."""
        return {"code": self.code.value, "params": dict(self.params)}
