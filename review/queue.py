"""The console's queue: one page of drafts with the editor's filters, search and sort, and the
counts by status that tell how much waits.

Built for a queue of 100,000 drafts: rows are read as plain columns (no ORM objects), sorted on
the indexed `practice_draft.received_at`, 50 at a time; the search words go through the search
index (`store.draft_index`), so "asukasilta" finds "asukasiltojen" on SQLite and PostgreSQL.

A search word and the flag filter are sets of draft ids (`review.queue_plan`). When one of them
is small, the drafts are found from it and counted exactly. When every one is large (a common
word: "kunta" is in most drafts), counting them all would read every match; instead each status
is counted only up to COUNT_CAP (the console then says "yli 1 000", more than 1,000) and the page
is found by walking the drafts in received order until 50 match. Without such a filter every
count is exact: it is read from an index.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from core.catalogue import STATUSES
from core.vocabulary import Severity
from review.flags import severity
from review.queries import draft_conditions, open_flag_ids
from review.queue_plan import (
    all_large,
    capped_counts,
    from_smallest,
    in_set,
    probed,
    set_sizes,
)
from store.draft_index import matching_id_sets
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
    """One page of the queue, the number of matches, and the counts by status.

    A status in `over` has more than COUNT_CAP matches (its count says COUNT_CAP); when
    `total_over`, `total` is a lower bound and `pages` only the pages known to exist (this one,
    and the next when there is one).
    """

    rows: list[QueueRow]
    total: int
    page: int
    pages: int
    counts: dict[str, int] = field(default_factory=dict)
    over: frozenset[str] = frozenset()
    total_over: bool = False


def _row_conditions(filters: QueueFilters) -> list[ColumnElement[bool]]:
    """The filters that are conditions on a draft's own columns (status left to the caller)."""
    return draft_conditions(
        theme=filters.theme or None,
        organisation=filters.organisation or None,
        month=filters.month or None,
    )


def _id_sets(filters: QueueFilters) -> list[tuple[Select[int], bool]]:
    """The filters that are sets of draft ids, each with whether testing one draft is a probe
    of a small index: each search word (no: its index holds every word of every draft), the
    flag (yes: the index of open flags)."""
    sets = (
        [(ids, False) for ids in matching_id_sets(filters.search)] if filters.search.strip() else []
    )
    if filters.flag:
        sets.append((open_flag_ids(filters.flag), True))
    return sets


def _status_condition(status: str) -> list[ColumnElement[bool]]:
    return draft_conditions(status=status) if status else []


def queue_page(
    session: Session, filters: QueueFilters, page: int = 1, per_page: int = PER_PAGE
) -> QueuePage:
    """Page `page` (from 1) of the drafts matching `filters`, newest received first by default.

    InvalidField when a filter names no status, theme or flag, or the month is malformed.
    """
    status = _status_condition(filters.status)
    conditions = _row_conditions(filters)
    kinds = _id_sets(filters)
    sets = [ids for ids, _small_index in kinds]
    sizes = set_sizes(session, sets) if sets else []
    if all_large(sizes):
        # Every set is large: walk the drafts in order, keeping those in every set.
        walked = [
            probed(ids) if small_index else in_set(ids, size)
            for (ids, small_index), size in zip(kinds, sizes, strict=True)
        ]
        counts, over = capped_counts(session, list(STATUSES), [*conditions, *walked])
        matching = [*status, *conditions, *walked]
        return _page(session, filters, matching, page, per_page, counts, over)
    found = from_smallest(sets, sizes) if sets else []
    query = (
        select(PracticeDraft.status, func.count())
        .where(*conditions, *found)
        .group_by(PracticeDraft.status)
    )
    counts = {key: count for key, count in session.execute(query)}
    return _page(session, filters, [*status, *conditions, *found], page, per_page, counts)


def _page(
    session: Session,
    filters: QueueFilters,
    conditions: list[ColumnElement[bool]],
    page: int,
    per_page: int,
    counts: dict[str, int],
    over: frozenset[str] = frozenset(),
) -> QueuePage:
    if filters.status:
        total, total_over = counts.get(filters.status, 0), filters.status in over
    else:
        total, total_over = sum(counts.values()), bool(over)
    counted_pages = max(1, -(-total // per_page))
    page = max(1, page) if total_over else min(max(1, page), counted_pages)
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
        .where(*conditions)
        .order_by(*order)
        .limit(per_page + 1)  # one more tells whether a next page exists
        .offset((page - 1) * per_page)
    )
    found = session.execute(query).all()
    more = len(found) > per_page
    found = found[:per_page]
    pages = (page + 1 if more else page) if total_over else counted_pages
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
    return QueuePage(
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        counts=counts,
        over=over,
        total_over=total_over,
    )


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
