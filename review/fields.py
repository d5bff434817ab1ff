"""Which draft fields editors may change, and what a valid value of each looks like.

Shared by `review.operations` (which applies changes) and `review.editing` (which parses what
comes back from $EDITOR), so a value refused in one is refused in the other.
"""

from __future__ import annotations

import re

from core.vocabulary import SECTION_KEYS
from review.errors import InvalidField
from review.vocabulary import field_name

EDITABLE_FIELDS = (
    "title",
    "organisation",
    "contact_name",
    "contact_email",
    *SECTION_KEYS,
    "photo_credit",
    "language",
)
SINGLE_LINE_FIELDS = frozenset(
    {"title", "organisation", "contact_name", "contact_email", "photo_credit", "language"}
)
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}$")


def _clean(field: str, value: str) -> str:
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if field in SINGLE_LINE_FIELDS and "\n" in text:
        raise InvalidField(
            f"Kenttä {field_name(field)} on yksirivinen; poista rivinvaihdot.",
            f"Field {field_name(field, 'en')} is a single line; remove the line breaks.",
        )
    if field == "contact_email" and text and not EMAIL_PATTERN.match(text):
        raise InvalidField(
            f"{text!r} ei ole sähköpostiosoite.", f"{text!r} is not an email address."
        )
    if field == "language" and text and not LANGUAGE_PATTERN.match(text):
        raise InvalidField(
            f"Kieli {text!r} ei kelpaa; käytä kielikoodia kuten fi, sv tai en.",
            f"Language {text!r} is not valid; use a code such as fi, sv or en.",
        )
    return text


def validate_changes(changes: dict[str, str]) -> dict[str, str]:
    """The changes with values normalised, or InvalidField naming the first bad one."""
    cleaned: dict[str, str] = {}
    for field, value in changes.items():
        if field == "theme":
            raise InvalidField(
                "Teema vaihdetaan komennolla: practices review theme ID TEEMA.",
                "Change the theme with: practices review theme ID THEME.",
            )
        if field not in EDITABLE_FIELDS:
            raise InvalidField(
                f"Kenttää {field!r} ei voi muokata. Muokattavat: {', '.join(EDITABLE_FIELDS)}.",
                f"Field {field!r} is not editable. Editable: {', '.join(EDITABLE_FIELDS)}.",
            )
        cleaned[field] = _clean(field, value)
    return cleaned
