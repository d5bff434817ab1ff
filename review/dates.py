"""Editorial time: the programme's time zone and how editors write dates and times.

The words editors read (themes, fields, the four questions) are in `core.catalogue`; this module
only places moments in Finnish time and writes them as editors do in each language.
"""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _editorial_zone() -> tzinfo:
    try:
        return ZoneInfo("Europe/Helsinki")
    except ZoneInfoNotFoundError:  # a system without tzdata: UTC is still unambiguous
        return UTC


# The programme works in Finnish time: "approved in May" and dates on pages mean Helsinki time.
EDITORIAL_TZ = _editorial_zone()
# Finland writes dates day first in Finnish and in Swedish alike; English gets ISO 8601.
_DAY_FIRST = ("fi", "sv")
_CLOCK_WORD = {"fi": "klo", "sv": "kl."}


def local_time(moment: datetime) -> datetime:
    """`moment` in the programme's time zone."""
    return moment.astimezone(EDITORIAL_TZ)


def format_date(moment: datetime | None, lang: str = "fi") -> str:
    """A date as editors write it: 1.5.2025 in Finnish and Swedish, 2025-05-01 in English."""
    if moment is None:
        return ""
    day = local_time(moment)
    return f"{day.day}.{day.month}.{day.year}" if lang in _DAY_FIRST else day.strftime("%Y-%m-%d")


def format_time(moment: datetime | None, lang: str = "fi") -> str:
    """A moment as editors write it, in Finnish time: 1.5.2025 klo 14.05."""
    if moment is None:
        return ""
    when = local_time(moment)
    if lang in _DAY_FIRST:
        clock = f"{when.hour}.{when.minute:02d}"
        return f"{when.day}.{when.month}.{when.year} {_CLOCK_WORD[lang]} {clock}"
    return when.strftime("%Y-%m-%d %H:%M")
