"""A draft's history as the console shows it: each event with every change whole.

A text change (a title, an answer, an alt text) becomes a side-by-side diff of the full old and
new text (`review.diffs`); any other change (a status, a theme, flags) is its old and new value
in words (`review.views.value_text`, uncut). Every name comes from `core.catalogue`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.catalogue import action_name, change_name
from review.diffs import DiffRow, folded, side_by_side
from review.views import value_text
from store.models import ReviewEvent

# Changes whose values are words from the catalogue rather than text someone wrote.
_WORDED = frozenset(
    {"status", "theme", "flags", "open_flags", "dismissed_flag", "purged", "theme_suggested"}
)


@dataclass(frozen=True)
class ChangeView:
    """One key of an event's changes: a text diff (`runs`) or a value before and after."""

    name: str
    old: str
    new: str
    runs: list[list[DiffRow]] | None = None


@dataclass(frozen=True)
class EventView:
    """One event of the history."""

    at: datetime
    actor: str
    action: str
    note: str
    changes: list[ChangeView]
    correction: bool


def _is_text(key: str, change: dict[str, Any]) -> bool:
    values = (change.get("from"), change.get("to"))
    return key not in _WORDED and all(v is None or isinstance(v, str) for v in values)


def change_views(changes: dict[str, Any], lang: str) -> list[ChangeView]:
    """The changes of one event, each named and shown whole."""
    out: list[ChangeView] = []
    for key, change in changes.items():
        if key == "correction":
            continue
        name = change_name(key, lang)
        if isinstance(change, dict) and set(change) == {"from", "to"}:
            if _is_text(key, change):
                runs = folded(side_by_side(change["from"] or "", change["to"] or ""))
                out.append(ChangeView(name, "", "", runs))
            else:
                old = value_text(key, change["from"], lang, limit=None)
                new = value_text(key, change["to"], lang, limit=None)
                out.append(ChangeView(name, old, new))
        else:
            out.append(ChangeView(name, "", value_text(key, change, lang, limit=None)))
    return out


def event_views(events: Sequence[ReviewEvent], lang: str = "fi") -> list[EventView]:
    """The history, newest first, ready for a template."""
    return [
        EventView(
            at=event.at,
            actor=event.actor,
            action=action_name(event.action, lang),
            note=event.note,
            changes=change_views(event.changes, lang),
            correction=bool(event.changes.get("correction")),
        )
        for event in reversed(list(events))
    ]
