"""Everything the draft page shows, read in one unit of work: the draft, its flags, photos and
history, the original message, and what the editor had typed when a save was refused.

The page is rendered after the unit of work has ended, so this module loads every relationship
the template touches while the session is open, and the template only reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from core.catalogue import LANGUAGE_NAMES, word
from core.vocabulary import LANGUAGES, SECTION_KEYS, THEME_KEYS, DraftStatus, Severity
from practices.web.context import Console
from review import operations
from review.diffs import DiffRow, side_by_side
from review.flags import severity
from review.history_view import EventView, event_views
from review.original import Original, read_original
from review.queries import load_draft
from store.files import BlobStore
from store.models import DraftFlag, PracticeDraft

# The fields of the draft page's main form, in the order shown; the theme has its own select.
FORM_FIELDS = ("title", "organisation", "contact_name", "contact_email", "language")
TEXT_FIELDS = (*FORM_FIELDS, *SECTION_KEYS)


@dataclass(frozen=True)
class ConflictField:
    """A field someone else saved while this editor was typing: both texts, side by side."""

    key: str
    theirs: str
    yours: str
    rows: list[DiffRow]


@dataclass
class DraftPage:
    """The facts of one draft page."""

    draft: PracticeDraft
    history: list[EventView]
    original: Original
    open_flags: list[DraftFlag]
    dismissed_flags: list[DraftFlag]
    blocking: list[DraftFlag]
    values: dict[str, str]
    base: dict[str, str]
    theme: str
    base_theme: str
    version: int
    conflict: list[ConflictField] = field(default_factory=list)
    # Fields only the other editor changed: their text is in the form already.
    their_changes: list[str] = field(default_factory=list)
    conflict_actor: str = ""
    error: str = ""
    kept: dict[str, str] = field(default_factory=dict)

    @property
    def theme_options(self) -> list[str]:
        return list(THEME_KEYS)

    @property
    def language_options(self) -> list[tuple[str, str]]:
        codes = list(LANGUAGES)
        current = self.values.get("language", "")
        if current and current not in codes:
            codes.append(current)
        return [(code, word(LANGUAGE_NAMES, code)) for code in codes]

    @property
    def is_draft(self) -> bool:
        return self.draft.status == DraftStatus.DRAFT

    @property
    def is_rejected(self) -> bool:
        return self.draft.status == DraftStatus.REJECTED


def current_values(draft: PracticeDraft) -> dict[str, str]:
    """The draft's text fields as the form shows them."""
    return {key: str(getattr(draft, key) or "") for key in TEXT_FIELDS}


def load_draft_page(
    session: Session,
    draft_id: int,
    original_of: Callable[[PracticeDraft], Original],
    *,
    typed: dict[str, str] | None = None,
    typed_base: dict[str, str] | None = None,
    typed_theme: str | None = None,
    error: str = "",
    kept: dict[str, str] | None = None,
) -> DraftPage:
    """The page of draft `draft_id`; `typed` (with `typed_base`, what the editor's form started
    from) is what the editor tried to save when it was refused: it stays in the form, and each
    field someone else changed meanwhile is shown with both texts side by side.
    """
    draft = load_draft(session, draft_id)
    flags = list(draft.flags)
    events = event_views(operations.history(session, draft_id))
    current = current_values(draft)
    page = DraftPage(
        draft=draft,
        history=events,
        original=original_of(draft),
        open_flags=[f for f in flags if f.is_open],
        dismissed_flags=[f for f in flags if not f.is_open],
        blocking=[f for f in flags if f.is_open and severity(f.code) is Severity.BLOCKING],
        values=dict(current),
        base=dict(current),
        theme=draft.theme or "",
        base_theme=draft.theme or "",
        version=draft.version,
        error=error,
        kept=dict(kept or {}),
    )
    if typed is not None:
        base = typed_base or {}
        for key in TEXT_FIELDS:
            yours = typed.get(key, current[key])
            theirs = current[key]
            started = base.get(key, theirs)
            they_changed = not _same(theirs, started)
            if _same(yours, started):
                if they_changed:
                    page.their_changes.append(key)
                continue  # the editor did not touch it: the saved text stays in the form
            page.values[key] = yours
            if they_changed and not _same(theirs, yours):
                page.conflict.append(ConflictField(key, theirs, yours, side_by_side(theirs, yours)))
        if typed_theme is not None:
            page.theme = typed_theme
        if (page.conflict or page.their_changes) and page.history:
            page.conflict_actor = page.history[0].actor
    return page


def _same(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


def original_loader(
    blobs: BlobStore, max_bytes: int, cache: Console
) -> Callable[[PracticeDraft], Original]:
    """A function draft -> Original that parses each archived message once per process."""

    def load(draft: PracticeDraft) -> Original:
        key = draft.inbound.raw_sha256 or f"inbound-{draft.inbound.id}"
        found: Original | None = cache.originals.get(key)
        if found is None:
            found = read_original(blobs, draft.inbound, max_bytes)
            cache.remember_original(key, found)
        return found

    return load
