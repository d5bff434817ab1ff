"""The editorial vocabulary: theme names, section headings and field names in Finnish and English.

Keys come from `ingest.understand.result` (THEME_KEYS, SECTION_KEYS); this module only names them
for people, so exports, the newsletter and the command line all say the same thing.
"""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.vocabulary import SECTION_KEYS, THEME_KEYS

THEME_NAMES: dict[str, dict[str, str]] = {
    "fi": {
        "understandability": "ymmärrettävyys",
        "participation": "osallisuus",
        "open_operations": "avoin toiminta",
        "enabling_administration": "hallinto mahdollistajana",
        "open_data": "avoin data",
    },
    "en": {
        "understandability": "understandability",
        "participation": "participation",
        "open_operations": "open operations",
        "enabling_administration": "administration as an enabler",
        "open_data": "open data",
    },
}

SECTION_HEADINGS: dict[str, dict[str, str]] = {
    "fi": {
        "what_and_why": "Mitä tehtiin ja miksi?",
        "achieved": "Mitä saatiin aikaiseksi?",
        "next_steps": "Mitä jatkossa?",
        "more_info": "Lisätietoa",
    },
    "en": {
        "what_and_why": "What was done and why?",
        "achieved": "What was achieved?",
        "next_steps": "What next?",
        "more_info": "More information",
    },
}

FIELD_NAMES: dict[str, dict[str, str]] = {
    "fi": {
        "title": "otsikko",
        "organisation": "organisaatio",
        "contact_name": "yhteyshenkilö",
        "contact_email": "yhteyshenkilön sähköposti",
        "theme": "teema",
        "photo_credit": "kuvaaja",
        "language": "kieli",
        **{key: f"kohta ”{SECTION_HEADINGS['fi'][key]}”" for key in SECTION_KEYS},
    },
    "en": {
        "title": "title",
        "organisation": "organisation",
        "contact_name": "contact person",
        "contact_email": "contact email",
        "theme": "theme",
        "photo_credit": "photo credit",
        "language": "language",
        **{key: f"section “{SECTION_HEADINGS['en'][key]}”" for key in SECTION_KEYS},
    },
}

LANGUAGES = ("fi", "en")


def _editorial_zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Helsinki")
    except ZoneInfoNotFoundError:  # a system without tzdata: UTC is still unambiguous
        return UTC


# The programme works in Finnish time: "approved in May" and dates on pages mean Helsinki time.
EDITORIAL_TZ = _editorial_zone()


def theme_name(key: str | None, lang: str = "fi") -> str:
    """The theme's name for people, or "" when there is none."""
    if not key:
        return ""
    return THEME_NAMES.get(lang, THEME_NAMES["fi"]).get(key, key)


def field_name(key: str, lang: str = "fi") -> str:
    """A field's name for people ("otsikko", "kohta ”Mitä jatkossa?”")."""
    return FIELD_NAMES.get(lang, FIELD_NAMES["fi"]).get(key, key)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


def resolve_theme(text: str) -> str | None:
    """The theme key for a key or a Finnish or English name ("avoin data", "open_data"), or None."""
    wanted = _fold(text)
    for key in THEME_KEYS:
        names = [key] + [THEME_NAMES[lang][key] for lang in LANGUAGES]
        if wanted in {_fold(name) for name in names}:
            return key
    return None


def local_time(moment: datetime) -> datetime:
    """`moment` in the programme's time zone."""
    return moment.astimezone(EDITORIAL_TZ)


def format_date(moment: datetime | None, lang: str = "fi") -> str:
    """A date as editors write it: 1.5.2025 in Finnish, 2025-05-01 in English."""
    if moment is None:
        return ""
    day = local_time(moment)
    return f"{day.day}.{day.month}.{day.year}" if lang == "fi" else day.strftime("%Y-%m-%d")


def format_time(moment: datetime | None, lang: str = "fi") -> str:
    """A moment as editors write it, in Finnish time: 1.5.2025 klo 14.05."""
    if moment is None:
        return ""
    when = local_time(moment)
    if lang == "fi":
        return f"{when.day}.{when.month}.{when.year} klo {when.hour}.{when.minute:02d}"
    return when.strftime("%Y-%m-%d %H:%M")
