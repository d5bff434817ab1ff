"""What photo processing hands back to the pipeline: every image found, with its role."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ingest.notes import Note


class PhotoRole(StrEnum):
    """How an image is used: one main photo, alternatives, signature logos, rejected parts."""

    MAIN = "main"
    ALTERNATIVE = "alternative"
    SIGNATURE = "signature"
    REJECTED = "rejected"


@dataclass(frozen=True, slots=True)
class ProcessedPhoto:
    """One image part after identification and (unless rejected or a signature) processing.

    Paths are relative to `data_dir`. `width`/`height` are the upright original dimensions;
    `sha256` is of the original bytes (which stay only inside the archived raw message).
    """

    role: PhotoRole
    attachment_index: int
    filename: str
    sha256: str
    byte_size: int
    image_format: str = ""
    width: int = 0
    height: int = 0
    web_path: str = ""
    web_width: int = 0
    web_height: int = 0
    thumbnail_path: str = ""
    credit: str = ""
    reject_reason: str = ""
    had_location: bool = False


@dataclass(frozen=True)
class PhotoReport:
    """All images of one message; `main` is the chosen photo, if any."""

    photos: tuple[ProcessedPhoto, ...] = ()
    credit: str = ""
    notes: tuple[Note, ...] = field(default=())

    @property
    def main(self) -> ProcessedPhoto | None:
        """The main photo, or None."""
        return next((p for p in self.photos if p.role is PhotoRole.MAIN), None)

    def with_role(self, role: PhotoRole) -> tuple[ProcessedPhoto, ...]:
        """The photos that have `role`."""
        return tuple(p for p in self.photos if p.role is role)
