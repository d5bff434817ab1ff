"""Newsletter editions as editors compose them: one per month, its practices in order, an intro.

Editors create the month's edition, add the approved practices they pick, put them in order and
write an intro; `review.newsletter` renders it. A practice is in an edition at most once (the
schema's unique key, and a clear refusal before it), only approved practices can be added, and a
practice that an earlier month's edition already had is marked, so nothing is sent twice by
accident. Functions take the caller's `session` first and never commit; a refusal raises a
`ReviewError` with Finnish and English words and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.vocabulary import DraftStatus
from review.errors import DraftNotFound, InvalidField, ReviewError
from review.queries import month_bounds
from store.models import NewsletterEdition, NewsletterItem, PracticeDraft, utcnow

# How many approved practices an edition's page offers to add.
CANDIDATES = 40


class EditionNotFound(ReviewError):
    """Raised when no edition exists for the month."""

    def __init__(self, month: str) -> None:
        self.month = month
        super().__init__(
            f"Uutiskirjettä {month} ei ole. Luo se: practices newsletter new {month}",
            f"There is no newsletter {month}. Create it: practices newsletter new {month}",
        )


def month_key(month: str) -> str:
    """`month` as an edition's key ("2025-05"); InvalidField unless it is YYYY-MM."""
    start, _end = month_bounds(month)
    return f"{start.year:04d}-{start.month:02d}"


@dataclass(frozen=True, slots=True)
class EditionEntry:
    """A practice in an edition as `show` lists it: the draft, and what an editor should know."""

    draft: PracticeDraft
    earlier: tuple[str, ...]

    @property
    def approved(self) -> bool:
        """Whether the practice is still approved (a withdrawn one is left out when rendered)."""
        return self.draft.status == DraftStatus.APPROVED


def get_edition(session: Session, month: str) -> NewsletterEdition:
    """The edition of `month`, its items and their drafts loaded."""
    key = month_key(month)
    edition = session.scalars(
        select(NewsletterEdition)
        .where(NewsletterEdition.month == key)
        .options(
            selectinload(NewsletterEdition.items)
            .selectinload(NewsletterItem.draft)
            .selectinload(PracticeDraft.photos),
            selectinload(NewsletterEdition.items)
            .selectinload(NewsletterItem.draft)
            .selectinload(PracticeDraft.inbound),
        )
    ).one_or_none()
    if edition is None:
        raise EditionNotFound(key)
    return edition


def new_edition(session: Session, month: str, actor: str, intro: str = "") -> NewsletterEdition:
    """Create the edition of `month`; refused when it exists already."""
    key = month_key(month)
    exists = session.scalar(select(NewsletterEdition.id).where(NewsletterEdition.month == key))
    if exists is not None:
        raise ReviewError(
            f"Uutiskirje {key} on jo olemassa: practices newsletter show {key}",
            f"Newsletter {key} exists already: practices newsletter show {key}",
        )
    edition = NewsletterEdition(month=key, intro=intro.strip(), created_by=actor, updated_by=actor)
    session.add(edition)
    session.flush()
    return edition


def _unique(draft_ids: Sequence[int]) -> list[int]:
    repeated = sorted({n for n in draft_ids if list(draft_ids).count(n) > 1})
    if repeated:
        listed = ", ".join(f"#{n}" for n in repeated)
        raise InvalidField(
            f"Sama käytäntö annettiin monta kertaa: {listed}.",
            f"The same practice was given more than once: {listed}.",
        )
    return list(draft_ids)


def add_practices(
    session: Session, month: str, draft_ids: Sequence[int], actor: str
) -> list[EditionEntry]:
    """Add approved practices at the end of the edition, in the order given.

    All or nothing: a practice that is not approved, not found or already in this edition is
    refused and none is added. Returns the added entries, with earlier editions they were in.
    """
    edition = get_edition(session, month)
    wanted = _unique(draft_ids)
    present = {item.draft_id for item in edition.items}
    already = [n for n in wanted if n in present]
    if already:
        listed = ", ".join(f"#{n}" for n in already)
        raise InvalidField(
            f"Käytäntö on jo uutiskirjeessä {edition.month}: {listed}.",
            f"Already in newsletter {edition.month}: {listed}.",
        )
    drafts = []
    for draft_id in wanted:
        draft = session.get(PracticeDraft, draft_id)
        if draft is None:
            raise DraftNotFound(draft_id)
        if draft.status != DraftStatus.APPROVED:
            raise InvalidField(
                f"Luonnos #{draft_id} ei ole hyväksytty; uutiskirjeeseen lisätään vain "
                "hyväksyttyjä käytäntöjä.",
                f"Draft #{draft_id} is not approved; only approved practices go in a newsletter.",
            )
        drafts.append(draft)
    position = max((item.position for item in edition.items), default=0)
    for offset, draft in enumerate(drafts, start=1):
        edition.items.append(
            NewsletterItem(draft=draft, position=position + offset, added_by=actor)
        )
    _touched(edition, actor)
    session.flush()
    earlier = earlier_editions(session, edition)
    return [EditionEntry(draft, earlier.get(draft.id, ())) for draft in drafts]


def remove_practices(
    session: Session, month: str, draft_ids: Sequence[int], actor: str
) -> NewsletterEdition:
    """Take practices out of the edition; refused (nothing removed) if one is not in it."""
    edition = get_edition(session, month)
    wanted = set(_unique(draft_ids))
    missing = sorted(wanted - {item.draft_id for item in edition.items})
    if missing:
        listed = ", ".join(f"#{n}" for n in missing)
        raise InvalidField(
            f"Käytäntö ei ole uutiskirjeessä {edition.month}: {listed}.",
            f"Not in newsletter {edition.month}: {listed}.",
        )
    edition.items = [item for item in edition.items if item.draft_id not in wanted]
    _renumber(edition)
    _touched(edition, actor)
    session.flush()
    return edition


def order_practices(
    session: Session, month: str, draft_ids: Sequence[int], actor: str
) -> NewsletterEdition:
    """Put the given practices first, in the given order; the others follow as they were."""
    edition = get_edition(session, month)
    wanted = _unique(draft_ids)
    by_draft = {item.draft_id: item for item in edition.items}
    missing = [n for n in wanted if n not in by_draft]
    if missing:
        listed = ", ".join(f"#{n}" for n in missing)
        raise InvalidField(
            f"Käytäntö ei ole uutiskirjeessä {edition.month}: {listed}.",
            f"Not in newsletter {edition.month}: {listed}.",
        )
    first = [by_draft[n] for n in wanted]
    rest = [item for item in edition.items if item.draft_id not in set(wanted)]
    edition.items = [*first, *rest]
    _renumber(edition)
    _touched(edition, actor)
    session.flush()
    return edition


def move_practice(
    session: Session, month: str, draft_id: int, step: int, actor: str
) -> NewsletterEdition:
    """Move one practice `step` places later (negative: earlier), within the edition's ends."""
    edition = get_edition(session, month)
    order = [item.draft_id for item in edition.items]
    if draft_id not in order:
        raise InvalidField(
            f"Käytäntö ei ole uutiskirjeessä {edition.month}: #{draft_id}.",
            f"Not in newsletter {edition.month}: #{draft_id}.",
        )
    place = max(0, min(len(order) - 1, order.index(draft_id) + step))
    order.remove(draft_id)
    order.insert(place, draft_id)
    return order_practices(session, month, order, actor)


def set_intro(session: Session, month: str, intro: str, actor: str) -> NewsletterEdition:
    """Replace the edition's intro (paragraphs separated by blank lines)."""
    edition = get_edition(session, month)
    edition.intro = intro.strip()
    _touched(edition, actor)
    session.flush()
    return edition


def entries(session: Session, edition: NewsletterEdition) -> list[EditionEntry]:
    """The edition's practices in order, each with the earlier editions it was in."""
    earlier = earlier_editions(session, edition)
    return [EditionEntry(item.draft, earlier.get(item.draft_id, ())) for item in edition.items]


@dataclass(frozen=True, slots=True)
class EditionSummary:
    """An edition as the list of editions shows it."""

    month: str
    practices: int
    updated_by: str
    rendered: bool


def edition_list(session: Session) -> list[EditionSummary]:
    """Every edition, the newest month first, with how many practices each has."""
    editions = session.scalars(
        select(NewsletterEdition)
        .options(selectinload(NewsletterEdition.items))
        .order_by(NewsletterEdition.month.desc())
    )
    return [
        EditionSummary(e.month, len(e.items), e.updated_by, e.rendered_at is not None)
        for e in editions
    ]


def candidates(
    session: Session, edition: NewsletterEdition, limit: int = CANDIDATES
) -> list[EditionEntry]:
    """Approved practices not in `edition`, the latest approved first, each with the earlier
    editions that had it: what an editor picks from."""
    present = [item.draft_id for item in edition.items]
    query = (
        select(PracticeDraft)
        .where(PracticeDraft.status == DraftStatus.APPROVED)
        .order_by(PracticeDraft.approved_at.desc(), PracticeDraft.id.desc())
        .limit(limit)
    )
    if present:
        query = query.where(PracticeDraft.id.not_in(present))
    drafts = list(session.scalars(query))
    months: dict[int, tuple[str, ...]] = {}
    if drafts:
        rows = session.execute(
            select(NewsletterItem.draft_id, NewsletterEdition.month)
            .join(NewsletterEdition, NewsletterItem.edition_id == NewsletterEdition.id)
            .where(NewsletterItem.draft_id.in_([d.id for d in drafts]))
            .order_by(NewsletterEdition.month)
        )
        for draft_id, month in rows:
            months[draft_id] = (*months.get(draft_id, ()), month)
    return [EditionEntry(draft, months.get(draft.id, ())) for draft in drafts]


def earlier_editions(session: Session, edition: NewsletterEdition) -> dict[int, tuple[str, ...]]:
    """For each practice of `edition`: the months of earlier editions that had it."""
    ids = [item.draft_id for item in edition.items]
    if not ids:
        return {}
    rows = session.execute(
        select(NewsletterItem.draft_id, NewsletterEdition.month)
        .join(NewsletterEdition, NewsletterItem.edition_id == NewsletterEdition.id)
        .where(NewsletterItem.draft_id.in_(ids), NewsletterEdition.month < edition.month)
        .order_by(NewsletterEdition.month)
    )
    found: dict[int, tuple[str, ...]] = {}
    for draft_id, month in rows:
        found[draft_id] = (*found.get(draft_id, ()), month)
    return found


def _renumber(edition: NewsletterEdition) -> None:
    # Positions are rewritten in one pass; they carry no unique key, so no swap can clash.
    for position, item in enumerate(edition.items, start=1):
        item.position = position


def _touched(edition: NewsletterEdition, actor: str) -> None:
    edition.updated_by = actor
    edition.updated_at = utcnow()
