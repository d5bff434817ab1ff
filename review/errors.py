"""The errors review operations raise, each with a Finnish message for editors and an English one.

    PracticesError
    └── ReviewError          a review operation was refused; nothing was changed
        ├── DraftNotFound    no draft with that id
        ├── ReviewConflict   another editor changed the draft since it was loaded (reload it)
        ├── ApprovalBlocked  approval lacks required fields, or has open flags without force
        └── InvalidField     an unknown field, a bad value, a bad theme or photo choice

`str(error)` is the Finnish text (editors read Finnish); `error.text(lang)` picks a language.
"""

from __future__ import annotations

from core.errors import PracticesError


class ReviewError(PracticesError):
    """Raised when a review operation is refused; the unit of work must be rolled back."""

    def __init__(self, message_fi: str, message_en: str = "") -> None:
        self.message_fi = message_fi
        self.message_en = message_en or message_fi
        super().__init__(message_fi)

    def text(self, lang: str) -> str:
        """The message in `lang`: English for "en", else Finnish (Swedish readers read it too)."""
        return self.message_en if lang == "en" else self.message_fi


class DraftNotFound(ReviewError):
    """Raised when no draft has the given id."""

    def __init__(self, draft_id: int) -> None:
        self.draft_id = draft_id
        super().__init__(
            f"Luonnosta #{draft_id} ei ole.",
            f"There is no draft #{draft_id}.",
        )


class ReviewConflict(ReviewError):
    """Raised when the draft's version moved on since the editor loaded it (optimistic locking)."""


class ApprovalBlocked(ReviewError):
    """Raised when a draft cannot be approved: required fields missing or flags open."""

    def __init__(self, message_fi: str, message_en: str, missing: tuple[str, ...] = ()) -> None:
        self.missing = missing
        super().__init__(message_fi, message_en)


class InvalidField(ReviewError):
    """Raised for an unknown or non-editable field, an invalid value, theme or photo."""
