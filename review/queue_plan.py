"""How the queue reads a filter that is a set of draft ids (a search word, a flag) cheaply at
any size: how large each set is, the condition that walks the drafts in order instead of looking
each id up, and counts by status that stop at a cap.

A set of 10,000 ids out of 100,000 drafts costs the databases 10,000 lookups of wide rows to
count or sort, though a page needs 50 of them; walking the (status, received_at, id) index in
order and testing each draft against the set finds 50 after about 500 drafts. A count has no
such shortcut, so a large one is cut: at most COUNT_CAP + 1 matches are read per status.

How a walked draft is tested depends on the set. A search word's ids come from the search
index, which holds every word of every draft: a probe there is a look-up in a large B-tree, so up
to HASHED_SET_ROWS ids the set is read once into memory (`IN`) and each test is a look-up there;
a larger set (a word in every draft) would cost more to read than the walk, so each test is then
one probe (`EXISTS`). A flag's ids come from the small index of open flags: always probed.
PostgreSQL's planner makes the same choice by itself from either form.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, Select, String, column, func, select, true, values
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from store.models import PracticeDraft

# Counts above this are shown as "more than 1 000" when a search or flag filter is on.
COUNT_CAP = 1000
# A set up to this many rows is read into memory once per query; a larger one is probed.
HASHED_SET_ROWS = 20_000


class _WalkedId(FunctionElement[int]):
    """`practice_draft.id` as a value, not a key: SQLite writes it `+practice_draft.id`, which
    keeps its planner from looking up every id of an `IN` set (it walks an index in order
    instead); PostgreSQL plans that walk by itself and gets the column as it is."""

    type = Integer()
    inherit_cache = True


@compiles(_WalkedId)
def _walked_id_default(element: _WalkedId, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_WalkedId, "sqlite")
def _walked_id_sqlite(element: _WalkedId, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(element.clauses, **kw)


def set_sizes(session: Session, sets: Sequence[Select[int]]) -> list[int]:
    """The rows of each set, each read only up to one more than either bound below."""
    limit = max(HASHED_SET_ROWS, COUNT_CAP) + 1
    counts = select(
        *(
            select(func.count()).select_from(ids.limit(limit).subquery()).scalar_subquery()
            for ids in sets
        )
    )
    return list(session.execute(counts).one())


def all_large(sizes: Sequence[int]) -> bool:
    """Whether every set is over COUNT_CAP rows: then matches are found by walking the drafts
    and counted up to the cap; else from the smallest set, exactly (it has few)."""
    return bool(sizes) and min(sizes) > COUNT_CAP


def in_set(ids: Select[int], size: int) -> ColumnElement[bool]:
    """The draft is in `ids` (of `size` rows, from `set_sizes`), tested draft by draft while
    an index of drafts is walked in order."""
    if size <= HASHED_SET_ROWS:
        return _WalkedId(PracticeDraft.id).in_(ids)
    return probed(ids)


def probed(ids: Select[int]) -> ColumnElement[bool]:
    """The draft is in `ids`, tested by one index probe per draft (the set is never read)."""
    return ids.where(ids.selected_columns[0] == PracticeDraft.id).exists()


def from_smallest(sets: Sequence[Select[int]], sizes: Sequence[int]) -> list[ColumnElement[bool]]:
    """The draft is in every set: the drafts are found from the smallest set, and each is probed
    in the others (whatever order the planner would have guessed)."""
    smallest = sizes.index(min(sizes))
    return [
        PracticeDraft.id.in_(ids) if number == smallest else probed(ids)
        for number, ids in enumerate(sets)
    ]


def capped_counts(
    session: Session, statuses: Sequence[str], conditions: Sequence[ColumnElement[bool]]
) -> tuple[dict[str, int], frozenset[str]]:
    """The drafts matching `conditions` per status, each counted up to COUNT_CAP, and the
    statuses with more (their count says COUNT_CAP); statuses with none are left out."""
    if session.get_bind().dialect.name == "postgresql":
        found = {
            status: count
            for status, count in session.execute(_lateral_counts(statuses, conditions))
        }
    else:
        found = dict(
            zip(statuses, session.execute(_counts(statuses, conditions)).one(), strict=True)
        )
    counts = {status: min(count, COUNT_CAP) for status, count in found.items() if count}
    return counts, frozenset(status for status, count in found.items() if count > COUNT_CAP)


def _counts(statuses: Sequence[str], conditions: Sequence[ColumnElement[bool]]) -> Select[Any]:
    """One row: a capped count per status, each its own subquery."""
    return select(
        *(
            select(func.count())
            .select_from(
                select(PracticeDraft.id)
                .where(PracticeDraft.status == status, *conditions)
                .limit(COUNT_CAP + 1)
                .subquery()
            )
            .scalar_subquery()
            for status in statuses
        )
    )


def _lateral_counts(
    statuses: Sequence[str], conditions: Sequence[ColumnElement[bool]]
) -> Select[str, int]:
    """(status, capped count) rows, the count a LATERAL subquery run once per status: PostgreSQL
    then builds the hash of a search word's ids once and keeps it for every status, where
    separate subqueries build it again each (three times 5-10 ms at 100,000 drafts)."""
    wanted = values(column("status", String), name="statuses").data([(s,) for s in statuses])
    matching = (
        select(PracticeDraft.id)
        .where(PracticeDraft.status == wanted.c.status, *conditions)
        .correlate(wanted)
        .limit(COUNT_CAP + 1)
        .subquery()
    )
    counted = select(func.count().label("n")).select_from(matching).lateral("counted")
    return select(wanted.c.status, counted.c.n).select_from(wanted.join(counted, true()))
