"""Keeps what the console's queue sorts and searches by in step with every draft, on every flush.

Drafts are written by ingestion, by `reparse` and by editors; rather than trusting each writer to
remember the index, two session events do it for all of them (`watch` hooks them onto every
sessionmaker `store.db` makes):

- before a new draft is first flushed, `received_at` is copied from its inbound message (the
  Date header, else when the message was stored), so the queue sorts on one indexed column;
- after a flush that created a draft or changed its text, its rows in `draft_search_term` are
  replaced by the base forms of its words (`core.lemmas.search_keys` in the draft's language).

Searching is the other half: `matching_draft_ids` gives, for the words an editor typed, the
condition "has every word in some form", usable on SQLite and PostgreSQL alike; `matching_id_sets`
gives the same as one set of draft ids per word, for a caller that plans how to use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, event, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction, sessionmaker

from core.lemmas import SEARCH_LANGUAGES, search_keys, words
from core.vocabulary import SECTION_KEYS
from store.models import DraftSearchTerm, PracticeDraft, utcnow

INDEXED_FIELDS = ("title", "organisation", "contact_name", *SECTION_KEYS)
# A search of more words than this uses the first ones: each word is one more subquery.
MAX_SEARCH_WORDS = 8
# A practice is a few thousand characters; a hostile 16 MB body must not cost seconds of Voikko
# per flush. Beyond these, a draft's text is not indexed (it is still shown and kept whole).
MAX_INDEXED_CHARS = 100_000
MAX_INDEXED_WORDS = 5_000


def draft_language(language: str | None) -> str:
    """The language a draft is indexed in: its own when it is one we stem, else Finnish."""
    return language if language in SEARCH_LANGUAGES else "fi"


def text_terms(values: Mapping[str, str], language: str | None) -> set[str]:
    """Every search key of the words in `values` (field -> text), in the draft's language."""
    lang = draft_language(language)
    terms: set[str] = set()
    seen: set[str] = set()
    for field in INDEXED_FIELDS:
        for word in words((values.get(field) or "")[:MAX_INDEXED_CHARS]):
            if word not in seen:
                if len(seen) >= MAX_INDEXED_WORDS:
                    return terms
                seen.add(word)
                terms.update(search_keys(word, lang))
    return terms


def draft_terms(draft: PracticeDraft) -> set[str]:
    """The search keys of one draft's text."""
    return text_terms({f: getattr(draft, f) for f in INDEXED_FIELDS}, draft.language)


def query_keys(text: str) -> list[frozenset[str]]:
    """For each word of a search (at most MAX_SEARCH_WORDS), the keys any of its forms has."""
    wanted = list(dict.fromkeys(words(text)))[:MAX_SEARCH_WORDS]
    return [
        frozenset().union(*(search_keys(word, lang, parts=False) for lang in SEARCH_LANGUAGES))
        for word in wanted
    ]


def matching_id_sets(text: str) -> list[Select[int]]:
    """For each word of `text`, the ids of the drafts that have it in some form (with repeats:
    a draft can hold several forms). A draft matches the search when it is in every set."""
    return [
        select(DraftSearchTerm.draft_id).where(DraftSearchTerm.term.in_(sorted(keys)))
        for keys in query_keys(text)
    ]


def matching_draft_ids(text: str) -> list[ColumnElement[bool]]:
    """Conditions on PracticeDraft.id: the draft has every word of `text` in some form."""
    return [PracticeDraft.id.in_(ids) for ids in matching_id_sets(text)]


def replace_terms(session: Session, draft_id: int, terms: Iterable[str]) -> None:
    """Make `terms` the draft's whole index (inside the caller's transaction)."""
    connection = session.connection()
    connection.execute(delete(DraftSearchTerm).where(DraftSearchTerm.draft_id == draft_id))
    rows = [{"term": term, "draft_id": draft_id} for term in sorted(terms)]
    if rows:
        connection.execute(insert(DraftSearchTerm), rows)


def _text_changed(draft: PracticeDraft) -> bool:
    state = inspect(draft)
    return any(state.attrs[name].history.has_changes() for name in (*INDEXED_FIELDS, "language"))


def _before_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    for obj in session.new:
        if isinstance(obj, PracticeDraft) and obj.received_at is None:
            inbound = obj.inbound
            obj.received_at = (inbound.sent_at or inbound.created_at if inbound else None) or (
                utcnow()
            )


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, PracticeDraft) and (obj in session.new or _text_changed(obj)):
            replace_terms(session, obj.id, draft_terms(obj))


def watch(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Keep the index of every session `factory` makes; returns `factory`."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    return factory
