"""The domain's stable keys: sections, themes, flag codes, outcomes and review statuses.

These strings are stored in the database and printed by `--json`, so they never change; what
people read is made from them where shown, by `core.catalogue`.
"""

from __future__ import annotations

from enum import StrEnum

SECTION_KEYS = ("what_and_why", "achieved", "next_steps", "more_info")
THEME_KEYS = (
    "understandability",
    "participation",
    "open_operations",
    "enabling_administration",
    "open_data",
)


class Outcome(StrEnum):
    """What became of an inbound message."""

    DRAFT = "draft"
    IGNORED = "ignored"
    FAILED = "failed"


class DraftStatus(StrEnum):
    """Where a draft stands in review."""

    DRAFT = "draft"
    APPROVED = "approved"
    REJECTED = "rejected"


class IgnoreReason(StrEnum):
    """Why a message is no submission; recorded on the inbound row, never shown as a draft."""

    AUTO_REPLY = "auto_reply"
    DELIVERY_REPORT = "delivery_report"
    OWN_MAIL = "own_mail"


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
    UNKNOWN_ORGANISATION = "unknown_organisation"
    POSSIBLE_DUPLICATE = "possible_duplicate"
    PARSE_DEFECTS = "parse_defects"
    FALLBACK_PARSER = "fallback_parser"
    FORWARDED = "forwarded"
    TEXT_TOO_SHORT = "text_too_short"
    TEXT_TOO_LONG = "text_too_long"
    FROM_DOCUMENT = "from_document"
    SPAM_VERDICT = "spam_verdict"
    DMARC_FAIL = "dmarc_fail"
