"""Which draft fields editors may change, and what a valid value of each looks like.

Shared by `review.operations` (which applies changes) and `review.editing` (which parses what
comes back from $EDITOR), so a value refused in one is refused in the other.
"""

from __future__ import annotations

import re

from core.catalogue import FIELDS, SECTIONS, field_name, resolve
from core.vocabulary import SECTION_KEYS, SINGLE_LINE_FIELDS
from review.errors import InvalidField

EDITABLE_FIELDS = (
    "title",
    "organisation",
    "contact_name",
    "contact_email",
    *SECTION_KEYS,
    "photo_credit",
    "language",
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


def field_key(name: str) -> str:
    """The field key for a key, a field's Finnish/Swedish/English name or a section's question.

    >>> field_key("otsikko"), field_key("Mitä jatkossa?")
    ('title', 'next_steps')
    """
    return resolve(FIELDS, name) or resolve(SECTIONS, name) or name.strip()


def validate_changes(changes: dict[str, str]) -> dict[str, str]:
    """The changes keyed by field key, values normalised, or InvalidField naming the first bad one.

    Fields may be named by key or by name in any language ("otsikko=...", "title=...").
    """
    cleaned: dict[str, str] = {}
    for name, value in changes.items():
        field = field_key(name)
        if field == "theme":
            raise InvalidField(
                "Teema vaihdetaan komennolla: practices review theme ID TEEMA.",
                "Change the theme with: practices review theme ID THEME.",
            )
        if field not in EDITABLE_FIELDS:
            raise InvalidField(
                f"Kenttää {name!r} ei voi muokata. Muokattavat: {_listed('fi')}.",
                f"Field {name!r} is not editable. Editable: {_listed('en')}.",
            )
        cleaned[field] = _clean(field, value)
    return cleaned


def _listed(lang: str) -> str:
    return ", ".join(f"{field_name(key, lang)} ({key})" for key in EDITABLE_FIELDS)
