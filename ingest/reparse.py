"""Re-running understanding on stored raw messages after the parser improves, without IMAP.

Idempotent: a second run changes nothing. Fields an editor has edited (`edited_fields`) are never
overwritten, and neither are approved or rejected drafts' texts, which an editor has signed off.
A message read again as new mail is (in a worker, under the message timeout, when the pipeline
isolates) that crashes or hangs its reader leaves its draft as it was; the run goes on and
names it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from core.errors import PracticesError
from core.vocabulary import DraftStatus
from ingest.pipeline import DatabaseLookups, Pipeline
from ingest.records import apply_analysis, fill_inbound
from ingest.workers import TRANSIENT_ERRORS
from store.models import PracticeDraft, ReviewEvent

# The fields a reparse reports on, and the draft columns each is made of.
REPORTED_FIELDS: dict[str, tuple[str, ...]] = {
    "organisation": ("organisation",),
    "theme": ("theme",),
    "title": ("title",),
    "contact": ("contact_name", "contact_email"),
}


@dataclass
class ReparseReport:
    """How many drafts were looked at and changed, and per reported field how many changed."""

    examined: int = 0
    changed: int = 0
    skipped: int = 0
    fields: Counter[str] = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)  # "draft 7: WorkerCrashed: ..."

    def describe(self) -> str:
        """One line for the operator, with the per-field counts in `REPORTED_FIELDS` order, and
        a line for each draft whose message could not be read again."""
        per_field = ", ".join(f"{name} {self.fields[name]}" for name in REPORTED_FIELDS)
        summary = (
            f"reparse: examined {self.examined}, changed {self.changed}, "
            f"skipped {self.skipped}; fields changed: {per_field}"
        )
        return "\n".join([summary, *(f"reparse: not read again: {line}" for line in self.failed)])


def _reported(draft: PracticeDraft) -> dict[str, tuple[object, ...]]:
    return {
        name: tuple(getattr(draft, column) for column in columns)
        for name, columns in REPORTED_FIELDS.items()
    }


def draft_ids(pipeline: Pipeline, draft_id: int | None) -> list[int]:
    """The drafts to re-parse: one, or every draft still in review."""
    with pipeline.app.sessions() as session:
        if draft_id is not None:
            if session.get(PracticeDraft, draft_id) is None:
                raise PracticesError(f"no draft {draft_id}")
            return [draft_id]
        return list(
            session.scalars(
                select(PracticeDraft.id)
                .where(PracticeDraft.status == DraftStatus.DRAFT)
                .order_by(PracticeDraft.id)
            )
        )


def reparse(pipeline: Pipeline, ids: Iterable[int], actor: str) -> ReparseReport:
    """Re-analyse each draft's raw message and refresh what understanding owns."""
    app = pipeline.app
    report = ReparseReport()
    for draft_id in ids:
        report.examined += 1
        with app.sessions.begin() as session:
            draft = session.get_one(PracticeDraft, draft_id)
            inbound = draft.inbound
            if draft.status != DraftStatus.DRAFT or not inbound.raw_path:
                report.skipped += 1
                continue
            try:
                analysis = pipeline.analyse_again(
                    inbound.raw_path,
                    inbound.raw_size,
                    inbound.raw_sha256 or "",
                    DatabaseLookups(session, inbound.sender, own_draft=draft.id),
                )
            except TRANSIENT_ERRORS:
                raise
            except Exception as exc:  # noqa: BLE001 - this draft stays as it was; the rest go on
                report.failed.append(f"draft {draft_id}: {type(exc).__name__}: {exc}")
                continue
            if analysis.understanding is None:
                report.skipped += 1
                continue
            fill_inbound(inbound, analysis)
            keep = frozenset(draft.edited_fields)
            before = _reported(draft)
            if apply_analysis(draft, analysis, keep=keep):
                report.changed += 1
                after = _reported(draft)
                report.fields.update(
                    name for name in REPORTED_FIELDS if before[name] != after[name]
                )
                session.add(
                    ReviewEvent(draft_id=draft.id, actor=actor, action="reparse", changes={})
                )
    return report
