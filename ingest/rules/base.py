"""What a review rule is: a side-effect-free check that returns a Flag or nothing.

Rules follow GNU Mailman's moderation rules: each has a stable `name`, a `description` for
operators, and `check(context)`. Every rule runs for every draft; the hits become the draft's flags
and the misses are recorded as passed rules, so the audit trail shows both. Editors and tests
compare `FlagCode` values, never the Finnish messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from core.vocabulary import FlagCode
from store.repository import DuplicateHit

if TYPE_CHECKING:
    from ingest.message import ParsedMessage
    from ingest.photos.result import PhotoReport
    from ingest.understand.result import Understanding


@dataclass(frozen=True, slots=True)
class Flag:
    """One reason for review: a stable code, the editor's Finnish message, optional detail."""

    code: FlagCode
    message: str
    detail: str = ""


@dataclass(frozen=True)
class RuleContext:
    """Everything a rule may look at; built by the pipeline, read-only for rules."""

    message: ParsedMessage
    understanding: Understanding
    photos: PhotoReport
    duplicates: tuple[DuplicateHit, ...] = ()
    public_domains: tuple[str, ...] = ()
    web_size: int = 1600
    extra: Mapping[str, str] = field(default_factory=dict)


class Rule(Protocol):
    """A review rule. `check` must not write anything anywhere."""

    name: str
    description: str

    def check(self, context: RuleContext) -> Flag | None: ...
