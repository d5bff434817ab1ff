"""The console's queue: one page of drafts with the editor's filters, search and sort, and the
counts by status that tell how much waits.

Built for a queue of 100,000 drafts: rows are read as plain columns (no ORM objects), sorted on
the indexed `practice_draft.received_at`, 50 at a time; the search words go through the search
index (`store.draft_index`), so "asukasilta" finds "asukasiltojen" on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from core.vocabulary import Severity
from review.flags import severity
from review.queries import draft_conditions
from store.draft_index import matching_draft_ids
from store.models import DraftFlag, PracticeDraft

PER_PAGE = 50


@dataclass(frozen=True)
class QueueFilters:
    """What the editor asked for; every field is optional ("" means no filter)."""

    status: str = ""
    theme: str = ""
    flag: str = ""
    organisation: str = ""
    month: str = ""
    search: str = ""
    oldest_first: bool = False

    def without_status(self) -> QueueFilters:
        return replace(self, status="")


@dataclass(frozen=True)
class QueueRow:
    """One draft as the queue lists it."""

    id: int
    title: str
    organisation: str
    theme: str | None
    status: str
    received_at: datetime | None
    open_flags: tuple[str, ...]
    blocked: bool


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, the number of matches, and the counts by status."""

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)


def _conditions(filters: QueueFilters) -> list[ColumnElement[bool]]:
    conditions = list(
        draft_conditions(
            status=filters.status or None,
            flag=filters.flag or None,
            theme=filters.theme or None,
            organisation=filters.organisation or None,
            month=filters.month or None,
        )
    )
    if filters.search.strip():
        conditions += matching_draft_ids(filters.search)
    return conditions


def status_counts(session: Session, filters: QueueFilters) -> dict[str, int]:
    """How many drafts of each status match the filters other than the status."""
    query = (
        select(PracticeDraft.status, func.count())
        .where(*_conditions(filters.without_status()))
        .group_by(PracticeDraft.status)
    )
    return {status: count for status, count in session.execute(query)}


def queue_page(
    session: Session, filters: QueueFilters, page: int = 1, per_page: int = PER_PAGE
) -> QueuePage:
    """Page `page` (from 1) of the drafts matching `filters`, newest received first by default.

    InvalidField when a filter names no status, theme or flag, or the month is malformed.
    """
    counts = status_counts(session, filters)
    total = counts.get(filters.status, 0) if filters.status else sum(counts.values())
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    order = (
        (PracticeDraft.received_at, PracticeDraft.id)
        if filters.oldest_first
        else (PracticeDraft.received_at.desc(), PracticeDraft.id.desc())
    )
    query = (
        select(
            PracticeDraft.id,
            PracticeDraft.title,
            PracticeDraft.organisation,
            PracticeDraft.theme,
            PracticeDraft.status,
            PracticeDraft.received_at,
        )
        .where(*_conditions(filters))
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    found = session.execute(query).all()
    flags = _open_flags(session, [row.id for row in found])
    rows = [
        QueueRow(
            id=row.id,
            title=row.title,
            organisation=row.organisation,
            theme=row.theme,
            status=row.status,
            received_at=row.received_at,
            open_flags=tuple(flags.get(row.id, ())),
            blocked=any(severity(code) is Severity.BLOCKING for code in flags.get(row.id, ())),
        )
        for row in found
    ]
    return QueuePage(rows=rows, total=total, page=page, pages=pages, counts=counts)


def _open_flags(session: Session, draft_ids: list[int]) -> dict[int, list[str]]:
    """The codes of the open flags of each draft, in one query."""
    if not draft_ids:
        return {}
    query = (
        select(DraftFlag.draft_id, DraftFlag.code)
        .where(DraftFlag.draft_id.in_(draft_ids), DraftFlag.dismissed_at.is_(None))
        .order_by(DraftFlag.id)
    )
    found: dict[int, list[str]] = {}
    for draft_id, code in session.execute(query):
        found.setdefault(draft_id, []).append(code)
    return found
