"""Re-running understanding on stored raw messages after the parser improves, without IMAP.

Idempotent: a second run changes nothing. Fields an editor has edited (`edited_fields`) are never
overwritten, and neither are approved or rejected drafts' texts, which an editor has signed off.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from core.errors import PracticesError
from core.vocabulary import DraftStatus
from ingest.analysis import analyse
from ingest.pipeline import DatabaseLookups, Pipeline
from ingest.records import apply_analysis, fill_inbound
from store.models import PracticeDraft, ReviewEvent


@dataclass
class ReparseReport:
    """How many drafts were looked at and how many changed."""

    examined: int = 0
    changed: int = 0
    skipped: int = 0


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
            raw = app.blobs.read(inbound.raw_path)
            analysis = analyse(
                raw,
                inbound.raw_sha256 or "",
                settings=app.settings,
                blobs=app.blobs,
                lookups=DatabaseLookups(session, inbound.sender, own_draft=draft.id),
            )
            if analysis.understanding is None:
                report.skipped += 1
                continue
            fill_inbound(inbound, analysis)
            keep = frozenset(draft.edited_fields)
            if apply_analysis(draft, analysis, keep=keep):
                report.changed += 1
                session.add(
                    ReviewEvent(draft_id=draft.id, actor=actor, action="reparse", changes={})
                )
    return report
