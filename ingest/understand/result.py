"""The understood content of a submission: what fills a draft, and where each field came from."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.vocabulary import DocumentProblem
from ingest.notes import Note


@dataclass(frozen=True, slots=True)
class Sections:
    """The four answers plus everything that fit none of them (never dropped).

    `preamble` is the part of `unmatched` above the first heading (a greeting, an introduction,
    maybe an "Otsikko:" line): where a title may stand, unlike the closing below the answers.
    """

    what_and_why: str = ""
    achieved: str = ""
    next_steps: str = ""
    more_info: str = ""
    unmatched: str = ""
    headings_found: int = 0
    preamble: str = ""

    def get(self, key: str) -> str:
        """The text of section `key` (one of SECTION_KEYS)."""
        value: str = getattr(self, key)
        return value


@dataclass(frozen=True)
class Understanding:
    """A draft's fields as derived from one message; the pipeline copies them onto the draft.

    `field_sources` maps a field name to where it came from ("body", "html", "document:NAME",
    "subject", "signature", "forwarded_header", "sender", "explicit", "keywords"; for the
    organisation "register:signature", "config:signature", "config:domain", "register:domain",
    "signature" or "register:text", see `ingest.understand.organisations`).
    `skipped_documents` names each attached document whose text was not read, and why.
    """

    title: str = ""
    organisation: str = ""
    contact_name: str = ""
    contact_email: str = ""
    theme: str | None = None
    theme_suggested: bool = False
    theme_reason: str = ""
    sections: Sections = field(default_factory=Sections)
    language: str = ""
    quoted_text: str = ""
    signature: str = ""
    forwarded_by: str = ""
    source_document: str = ""
    skipped_documents: tuple[tuple[str, DocumentProblem], ...] = ()
    body_text: str = ""
    field_sources: dict[str, str] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
