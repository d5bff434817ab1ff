"""What a review rule is: a side-effect-free check that returns a Flag or nothing.

Rules follow GNU Mailman's moderation rules: each has a stable `name`, a `description` for
operators, and `check(context)`. Every rule runs for every draft; the hits become the draft's flags
and the misses are recorded as passed rules, so the audit trail shows both. A flag holds no text:
its code and parameters are worded by `core.catalogue` where shown (as Mailman defers a rule's
reason to the reader's language), so editors and tests compare codes, never sentences.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from core.vocabulary import FlagCode
from store.repository import DuplicateHit

if TYPE_CHECKING:
    from ingest.message import ParsedMessage
    from ingest.photos.result import PhotoReport, ProcessedPhoto
    from ingest.understand.result import Understanding


@dataclass(frozen=True, slots=True)
class Flag:
    """One reason for review: a stable code and the facts an editor needs (JSON values only)."""

    code: FlagCode
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may look at; built by the pipeline, read-only for rules."""

    message: ParsedMessage
    understanding: Understanding
    photos: PhotoReport
    duplicates: tuple[DuplicateHit, ...] = ()
    public_domains: tuple[str, ...] = ()
    web_size: int = 1600


class Rule(Protocol):
    """A review rule. `check` must not write anything anywhere."""

    name: str
    description: str

    def check(self, context: RuleContext) -> Flag | None: ...


def image_ref(photo: ProcessedPhoto) -> str | int:
    """How a flag names an image: its file name, or its attachment number when it has none.

    The catalogue words a number as "liite 3" / "bilaga 3" / "attachment 3" where shown.
    """
    return photo.filename or photo.attachment_index
