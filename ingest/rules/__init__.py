"""The review rules, in the order their flags are shown to an editor.

To add a rule: write `ingest/rules/<name>.py` with one class (name, description, check), add an
instance to `RULES` below, and give it a code in `FlagCode`. A test fails if a rule module is not
registered here, if two rules share a name, or if a rule lacks a description.
"""

from __future__ import annotations

from ingest.rules.base import Rule
from ingest.rules.dmarc_fail import DmarcFail
from ingest.rules.document_skipped import DocumentSkipped
from ingest.rules.fallback_parser import FallbackParser
from ingest.rules.forwarded import Forwarded
from ingest.rules.from_document import FromDocument
from ingest.rules.location_removed import LocationRemoved
from ingest.rules.missing_section import MISSING_SECTION_RULES
from ingest.rules.no_headings import NoHeadings
from ingest.rules.no_photo import NoPhoto
from ingest.rules.only_signature_images import OnlySignatureImages
from ingest.rules.parse_defects import ParseDefects
from ingest.rules.photo_rejected import PhotoRejected
from ingest.rules.photo_too_small import PhotoTooSmall
from ingest.rules.possible_duplicate import PossibleDuplicate
from ingest.rules.sender_domain import SenderDomain
from ingest.rules.spam_verdict import SpamVerdict
from ingest.rules.text_length import TextTooLong, TextTooShort
from ingest.rules.theme_missing import ThemeMissing
from ingest.rules.theme_suggested import ThemeSuggested
from ingest.rules.unknown_organisation import UnknownOrganisation

RULES: tuple[Rule, ...] = (
    # Is it trustworthy and new?
    SpamVerdict(),
    DmarcFail(),
    SenderDomain(),
    UnknownOrganisation(),
    PossibleDuplicate(),
    # Did we read it right?
    FallbackParser(),
    ParseDefects(),
    Forwarded(),
    FromDocument(),
    DocumentSkipped(),
    # Is the content complete?
    NoHeadings(),
    *MISSING_SECTION_RULES,
    TextTooShort(),
    TextTooLong(),
    ThemeMissing(),
    ThemeSuggested(),
    # The photo.
    NoPhoto(),
    OnlySignatureImages(),
    PhotoTooSmall(),
    PhotoRejected(),
    LocationRemoved(),
)

__all__ = ["RULES"]
