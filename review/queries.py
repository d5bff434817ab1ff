"""Read-only review queries: list drafts with filters, load one draft, read its history.

Functions take the caller's `session` first and never commit. They are re-exported by
`review.operations`, the one module both the command line and a web console call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from core.catalogue import FLAG_NAMES, STATUSES, THEMES, Table, resolve, word
from review.dates import EDITORIAL_TZ
from review.errors import DraftNotFound, InvalidField
from store.models import DraftFlag, PracticeDraft, ReviewEvent

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first moment of month "YYYY-MM" and of the next one, in Finnish time."""
    match = MONTH_PATTERN.match(month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidField(
            f"Kuukausi {month!r} ei ole muotoa VVVV-KK (esim. 2025-05).",
            f"Month {month!r} is not in the form YYYY-MM (e.g. 2025-05).",
        )
    year, number = int(match.group(1)), int(match.group(2))
    start = datetime(year, number, 1, tzinfo=EDITORIAL_TZ)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=EDITORIAL_TZ)
    return start, end


def received_at(draft: PracticeDraft) -> datetime:
    """When the submission arrived: its Date header, else when we stored it."""
    return draft.inbound.sent_at or draft.inbound.created_at


def draft_conditions(
    *,
    status: str | None = None,
    flag: str | None = None,
    theme: str | None = None,
    organisation: str | None = None,
    month: str | None = None,
) -> list[ColumnElement[bool]]:
    """The WHERE conditions of the draft filters, shared by `list_drafts` and the console's queue.

    `status`, `flag` and `theme` accept a key or a Finnish, Swedish or English name
    ("hyväksytty", "ei kuvaa", "avoin data"); `theme` also "none" for drafts without a theme;
    `flag` finds drafts where that flag is open; `organisation` matches case-insensitively anywhere
    in the name; `month` is "YYYY-MM" of the received date (Finnish time). InvalidField for a
    name or month that means nothing.
    """
    conditions: list[ColumnElement[bool]] = []
    if status:
        conditions.append(PracticeDraft.status == require_name(STATUSES, status, "status"))
    if flag:
        conditions.append(PracticeDraft.id.in_(open_flag_ids(flag)))
    if theme:
        if theme.strip().lower() in ("none", "ei", "-"):
            conditions.append(PracticeDraft.theme.is_(None))
        else:
            conditions.append(PracticeDraft.theme == require_theme(theme))
    if organisation:
        pattern = f"%{organisation.strip().lower()}%"
        conditions.append(func.lower(PracticeDraft.organisation).like(pattern))
    if month:
        start, end = month_bounds(month)
        conditions += [PracticeDraft.received_at >= start, PracticeDraft.received_at < end]
    return conditions


def open_flag_ids(flag: str) -> Select[int]:
    """The ids of the drafts where the flag `flag` (a code or a name in any language) is open,
    read from the index of open flags; InvalidField for a name that means nothing."""
    code = require_name(FLAG_NAMES, flag, "flag")
    return select(DraftFlag.draft_id).where(
        DraftFlag.code == code, DraftFlag.dismissed_at.is_(None)
    )


def list_drafts(
    session: Session,
    *,
    status: str | None = None,
    flag: str | None = None,
    theme: str | None = None,
    organisation: str | None = None,
    month: str | None = None,
) -> list[PracticeDraft]:
    """Drafts matching every given filter (see `draft_conditions`), oldest submission first."""
    query = (
        select(PracticeDraft)
        .where(
            *draft_conditions(
                status=status, flag=flag, theme=theme, organisation=organisation, month=month
            )
        )
        .options(selectinload(PracticeDraft.flags), selectinload(PracticeDraft.inbound))
        .order_by(PracticeDraft.received_at, PracticeDraft.id)
    )
    return list(session.scalars(query))


_KINDS: dict[str, tuple[str, str]] = {
    "status": ("tila", "status"),
    "flag": ("huomio", "flag"),
    "theme": ("teema", "theme"),
    "outcome": ("tulos", "outcome"),
}


def require_name(table: Table, text: str, kind: str) -> str:
    """The key `text` names in `table` (key or name in any language), or InvalidField listing all.

    The refusal lists every choice as editors write it, with its key: "avoin data (open_data)".
    """
    key = resolve(table, text)
    if key is None:
        kind_fi, kind_en = _KINDS[kind]
        choices = {
            lang: ", ".join(f"{word(table, k, lang)} ({k})" for k in table) for lang in ("fi", "en")
        }
        raise InvalidField(
            f"Tuntematon {kind_fi} {text!r}. Vaihtoehdot: {choices['fi']}.",
            f"Unknown {kind_en} {text!r}. Choices: {choices['en']}.",
        )
    return key


def require_theme(text: str) -> str:
    """The theme key for a key or a theme's name in any language, or InvalidField listing them."""
    return require_name(THEMES, text, "theme")


def get_draft(session: Session, draft_id: int) -> PracticeDraft:
    """The draft with `draft_id`, or DraftNotFound."""
    draft = session.get(PracticeDraft, draft_id)
    if draft is None:
        raise DraftNotFound(draft_id)
    return draft


def load_draft(session: Session, draft_id: int) -> PracticeDraft:
    """The draft with `draft_id` with its inbound message, flags and photos loaded in three
    queries (what a page showing the whole draft reads), or DraftNotFound."""
    query = (
        select(PracticeDraft)
        .where(PracticeDraft.id == draft_id)
        .options(
            joinedload(PracticeDraft.inbound),
            selectinload(PracticeDraft.flags),
            selectinload(PracticeDraft.photos),
        )
    )
    draft = session.scalars(query).first()
    if draft is None:
        raise DraftNotFound(draft_id)
    return draft


def history(session: Session, draft_id: int) -> Sequence[ReviewEvent]:
    """Every review event of a draft, oldest first."""
    get_draft(session, draft_id)
    query = (
        select(ReviewEvent)
        .where(ReviewEvent.draft_id == draft_id)
        .order_by(ReviewEvent.at, ReviewEvent.id)
    )
    return list(session.scalars(query))


def latest_event(session: Session, draft_id: int) -> ReviewEvent | None:
    """The newest review event of a draft, if any."""
    query = (
        select(ReviewEvent)
        .where(ReviewEvent.draft_id == draft_id)
        .order_by(ReviewEvent.at.desc(), ReviewEvent.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()
