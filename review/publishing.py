"""What is published of an approved practice: which ones, their stable names, dates and leads.

Exports and the newsletter share these, so a practice has the same page name (`<id>-<slug>`) in
every export, in the feed's and the newsletter's links and in the notice to its submitter.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.vocabulary import DraftStatus
from review.dates import EDITORIAL_TZ, local_time
from review.queries import received_at
from store.models import PracticeDraft

SLUG_MAX = 60
LEAD_MAX = 300
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def slugify(text: str) -> str:
    """An ASCII slug of a title: "Äänestys – avoin data" → "aanestys-avoin-data"."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    ascii_text = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug or "kaytanto"


def page_name(draft: PracticeDraft) -> str:
    """The stable base name of a practice's files: `<id>-<slug>`."""
    return f"{draft.id}-{slugify(draft.title)}"


def received_on(draft: PracticeDraft) -> date:
    """The day the submission arrived, in Finnish time."""
    return local_time(received_at(draft)).date()


def approved_practices(
    session: Session,
    *,
    since: date | None = None,
    approved_from: datetime | None = None,
    approved_before: datetime | None = None,
) -> list[PracticeDraft]:
    """Approved practices in id order; `since` is a day in Finnish time (by approval)."""
    query = (
        select(PracticeDraft)
        .where(PracticeDraft.status == DraftStatus.APPROVED)
        .options(
            selectinload(PracticeDraft.photos),
            selectinload(PracticeDraft.inbound),
        )
        .order_by(PracticeDraft.id)
    )
    if since is not None:
        start = datetime(since.year, since.month, since.day, tzinfo=EDITORIAL_TZ)
        query = query.where(PracticeDraft.approved_at >= start)
    if approved_from is not None:
        query = query.where(PracticeDraft.approved_at >= approved_from)
    if approved_before is not None:
        query = query.where(PracticeDraft.approved_at < approved_before)
    return list(session.scalars(query))


def lead(text: str, limit: int = LEAD_MAX) -> str:
    """The first sentence(s) of `text` up to `limit` characters, cut at a word if need be."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    chosen = ""
    for sentence in SENTENCE_END.split(flat):
        candidate = f"{chosen} {sentence}".strip()
        if len(candidate) > limit:
            break
        chosen = candidate
    if chosen:
        return chosen
    cut = flat[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:–-")
    return cut + "…"


def paragraphs(text: str) -> list[list[str]]:
    """Paragraphs (separated by blank lines) as lists of their lines."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip())
    return [[line.rstrip() for line in block.split("\n")] for block in blocks if block.strip()]
