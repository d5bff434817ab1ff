"""The domain's stable keys: sections, themes, flag codes and severities, outcomes, statuses.

These strings are stored in the database and printed by `--json`, so they never change; what
people read is made from them where shown, by `core.catalogue`.
"""

from __future__ import annotations

from enum import StrEnum

# The languages practices are submitted, reviewed and published in, Finnish first.
LANGUAGES = ("fi", "sv", "en")
SECTION_KEYS = ("what_and_why", "achieved", "next_steps", "more_info")
# Draft fields that hold one line of text; the sections and the signature hold paragraphs.
SINGLE_LINE_FIELDS = frozenset(
    {"title", "organisation", "contact_name", "contact_email", "photo_credit", "language"}
)
# The mailbox name stored on messages brought in by `practices import` rather than over IMAP.
IMPORT_MAILBOX = "import"
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
    BROKEN_RULE = "broken_rule"
    DOCUMENT_SKIPPED = "document_skipped"


# The flag an empty answer raises, per section; the rules raise them and an edit that fills the
# section settles them.
MISSING_SECTION_CODES: dict[str, FlagCode] = {
    "what_and_why": FlagCode.MISSING_WHAT_AND_WHY,
    "achieved": FlagCode.MISSING_ACHIEVED,
    "next_steps": FlagCode.MISSING_NEXT_STEPS,
    "more_info": FlagCode.MISSING_MORE_INFO,
}


class Severity(StrEnum):
    """Whether an open flag stops approval.

    Informational flags tell the editor something worth knowing (no photo, a guessed theme) and
    never block. Blocking flags are doubts about trust (is the sender who they claim, is it spam,
    was it sent before?) or about correctness (was the text read whole?): approval waits until an
    editor has looked and dismissed each one with a reason.
    """

    INFORMATIONAL = "informational"
    BLOCKING = "blocking"


_INFO = Severity.INFORMATIONAL
_BLOCK = Severity.BLOCKING

FLAG_SEVERITY: dict[FlagCode, Severity] = {
    # Completeness, not doubt: the editor sees what is missing, and approval already requires a
    # title, a theme and the first answer (review.operations.REQUIRED_FOR_APPROVAL).
    FlagCode.MISSING_WHAT_AND_WHY: _INFO,
    FlagCode.MISSING_ACHIEVED: _INFO,
    FlagCode.MISSING_NEXT_STEPS: _INFO,
    FlagCode.MISSING_MORE_INFO: _INFO,
    # All the text is there, only under one heading; what the editor sees is what is published.
    FlagCode.NO_HEADINGS: _INFO,
    FlagCode.THEME_SUGGESTED: _INFO,
    FlagCode.THEME_MISSING: _INFO,
    # Photo quality and privacy: a practice may be published without a (good) photo, and the
    # location was removed before anything was published.
    FlagCode.NO_PHOTO: _INFO,
    FlagCode.PHOTO_TOO_SMALL: _INFO,
    FlagCode.ONLY_SIGNATURE_IMAGES: _INFO,
    FlagCode.PHOTO_REJECTED: _INFO,
    FlagCode.LOCATION_REMOVED: _INFO,
    # Trust: the practice would be published under an organisation's name.
    FlagCode.SENDER_NOT_PUBLIC_SECTOR: _BLOCK,
    FlagCode.SPAM_VERDICT: _BLOCK,
    FlagCode.DMARC_FAIL: _BLOCK,
    # Publishing the same practice twice cannot be undone on the newsletter.
    FlagCode.POSSIBLE_DUPLICATE: _BLOCK,
    # Correctness: broken MIME or the fallback parser may have lost or garbled text that the
    # editor cannot see in the draft, only in the original message.
    FlagCode.PARSE_DEFECTS: _BLOCK,
    FlagCode.FALLBACK_PARSER: _BLOCK,
    # The forwarder is named and the contact came from the forwarded header: visible, checkable.
    FlagCode.FORWARDED: _INFO,
    # Length is visible in the draft itself; the editor judges it while reading.
    FlagCode.TEXT_TOO_SHORT: _INFO,
    FlagCode.TEXT_TOO_LONG: _INFO,
    FlagCode.FROM_DOCUMENT: _INFO,
    # An attached document was not read (a bomb, broken, too slow): the answers may be in it.
    FlagCode.DOCUMENT_SKIPPED: _BLOCK,
    # A new agency or an association is no fault of the submission; the name is there to check.
    FlagCode.UNKNOWN_ORGANISATION: _INFO,
    # A check that crashed said nothing, so any doubt it exists to raise is still open.
    FlagCode.BROKEN_RULE: _BLOCK,
}


class NoteCode(StrEnum):
    """What ingestion noticed that is worth an editor's glance but is no reason for review."""

    FORWARDER_NOTE = "forwarder_note"
    SIGNATURE_IMAGE = "signature_image"
    SAME_IMAGE = "same_image"
    RECURRING_IMAGE = "recurring_image"


class SignatureReason(StrEnum):
    """Why an image was taken for a logo or signature rather than a photo."""

    RECURRING = "recurring"
    SMALL_IMAGE = "small_image"
    SMALL_FILE = "small_file"
    INLINE_HTML = "inline_html"
    INLINE_OUTLOOK = "inline_outlook"


class MailKind(StrEnum):
    """What a mail in the outbox is (`outbox_mail.kind`)."""

    ACKNOWLEDGEMENT = "acknowledgement"
    PUBLISHED = "published"
    DIGEST = "digest"
    ALERT = "alert"


class MailStatus(StrEnum):
    """Where a mail in the outbox stands (`outbox_mail.status`)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class DocumentProblem(StrEnum):
    """Why the text of an attached document was not read (the draft is made without it)."""

    TOO_LARGE = "too_large"
    ZIP_BOMB = "zip_bomb"
    TOO_MANY_ELEMENTS = "too_many_elements"
    TOO_MUCH_TEXT = "too_much_text"
    TOO_SLOW = "too_slow"
    UNREADABLE = "unreadable"
