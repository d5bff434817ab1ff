"""The $EDITOR block format: renders every editable field and parses back what was saved."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from review import editing, operations
from review.errors import InvalidField
from store.models import PracticeDraft
from tests.unit.review.conftest import Builder


@contextmanager
def new_draft(
    sessions: sessionmaker[Session], build: Builder, **fields: Any
) -> Iterator[PracticeDraft]:
    """A new draft with `fields`, in a session of its own."""
    draft_id = build(**fields)
    with sessions.begin() as session:
        yield operations.get_draft(session, draft_id)


def test_rendering_parses_back_to_the_same_values(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    more_info = "Rivi yksi\n\nRivi kaksi == ei otsikko =="
    with new_draft(sessions, build, more_info=more_info) as draft:
        parsed = editing.parse_edited(editing.render_for_editing(draft))
        assert parsed == {k: v.strip() for k, v in editing.editable_values(draft).items()}
        assert editing.changed_fields(draft, parsed) == {}


def test_changed_fields_and_diff_show_only_what_changed(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    with new_draft(sessions, build, title="Vanha") as draft:
        text = editing.render_for_editing(draft).replace("== title ==\nVanha", "== title ==\nUusi")
        changes = editing.changed_fields(draft, editing.parse_edited(text))
        assert changes == {"title": "Uusi"}
        diff = editing.diff_text(draft, changes)
        assert "-Vanha" in diff and "+Uusi" in diff


def test_removed_block_leaves_field_unchanged() -> None:
    assert editing.parse_edited("== title ==\nUusi\n") == {"title": "Uusi"}


@pytest.mark.parametrize(
    "text",
    ["== theme ==\nopen_data\n", "== title ==\na\n== title ==\nb\n", "irrallinen\n== title ==\n"],
)
def test_unknown_repeated_or_stray_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidField):
        editing.parse_edited(text)
