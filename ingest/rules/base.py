"""What a review rule is: a side-effect-free check that returns a Flag or nothing.

Rules follow GNU Mailman's moderation rules: each has a stable `name`, a `description` for
operators, and `check(context)`. Every rule runs for every draft; the hits become the draft's flags
and the misses are recorded as passed rules, so the audit trail shows both. Editors and tests
compare `FlagCode` values, never the Finnish messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ingest.message import ParsedMessage
    from ingest.photos.result import PhotoReport
    from ingest.understand.result import Understanding


class FlagCode(StrEnum):
    """Stable codes for every reason an editor should look at a draft."""

    MISSING_WHAT_AND_WHY = "missing_what_and_why"
    MISSING_ACHIEVED = "missing_achieved"
    MISSING_NEXT_STEPS = "missing_next_steps"
    MISSING_MORE_INFO = "missing_more_info"
    NO_HEADINGS = "no_headings"
    THEME_SUGGESTED = "theme_suggested"
    THEME_MISSING = "theme_missing"
    NO_PHOTO = "no_photo"
    PHOTO_TOO_SMALL = "photo_too_small"
    ONLY_SIGNATURE_IMAGES = "only_signature_images"
    PHOTO_REJECTED = "photo_rejected"
    LOCATION_REMOVED = "location_removed"
    SENDER_NOT_PUBLIC_SECTOR = "sender_not_public_sector"
    POSSIBLE_DUPLICATE = "possible_duplicate"
    PARSE_DEFECTS = "parse_defects"
    FALLBACK_PARSER = "fallback_parser"
    FORWARDED = "forwarded"
    TEXT_TOO_SHORT = "text_too_short"
    TEXT_TOO_LONG = "text_too_long"
    FROM_DOCUMENT = "from_document"
    SPAM_VERDICT = "spam_verdict"
    DMARC_FAIL = "dmarc_fail"


@dataclass(frozen=True, slots=True)
class Flag:
    """One reason for review: a stable code, the editor's Finnish message, optional detail."""

    code: FlagCode
    message: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DuplicateHit:
    """An earlier draft that this message may repeat, and why we think so."""

    draft_id: int
    reason: str  # "message_id" | "raw_sha256" | "similar_text"


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
