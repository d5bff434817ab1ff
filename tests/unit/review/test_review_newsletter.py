"""The monthly newsletter: practices approved that month, grouped by theme, with leads."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from core.vocabulary import DraftStatus
from review.newsletter import build_newsletter
from review.publishing import lead
from store.models import PracticeDraft
from tests.unit.review.conftest import Builder


def approve_at(sessions: sessionmaker[Session], draft_id: int, when: datetime) -> None:
    with sessions.begin() as session:
        draft = session.get(PracticeDraft, draft_id)
        assert draft is not None
        draft.status = DraftStatus.APPROVED
        draft.approved_at = when


def test_newsletter_groups_the_months_practices_by_theme(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    data = build(title="Data auki", theme="open_data")
    clear = build(title="Selkeät ohjeet", theme="understandability")
    later = build(title="Kesäkuun juttu", theme="open_data")
    approve_at(sessions, data, datetime(2025, 5, 20, tzinfo=UTC))
    approve_at(sessions, clear, datetime(2025, 5, 3, tzinfo=UTC))
    approve_at(sessions, later, datetime(2025, 6, 1, 12, tzinfo=UTC))
    with sessions.begin() as session:
        digest = build_newsletter(session, "2025-05")
    assert digest.count == 2
    text = digest.text
    assert text.startswith("Hyviä käytäntöjä – toukokuu 2025")
    assert text.index("YMMÄRRETTÄVYYS") < text.index("Selkeät ohjeet") < text.index("AVOIN DATA")
    assert text.index("AVOIN DATA") < text.index("Data auki")
    assert "Kesäkuun juttu" not in text
    assert f"{{{{LINKKI:{data}-data-auki}}}}" in text
    assert "<h2>Avoin data</h2>" in digest.html


def test_newsletter_escapes_html(sessions: sessionmaker[Session], build: Builder) -> None:
    draft_id = build(title="<script>x</script>", theme="participation")
    approve_at(sessions, draft_id, datetime(2025, 5, 20, tzinfo=UTC))
    with sessions.begin() as session:
        digest = build_newsletter(session, "2025-05")
    assert "<script>" not in digest.html


def test_lead_keeps_whole_sentences_within_the_limit() -> None:
    text = "Ensimmäinen lause. " + "Toinen lause on pitkä " * 20 + "loppu."
    assert lead(text) == "Ensimmäinen lause."


def test_lead_cuts_one_long_sentence_at_a_word() -> None:
    cut = lead("sana " * 100)
    assert cut.endswith("sana…") and len(cut) <= 300
