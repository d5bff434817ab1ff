"""The schema check every command makes first reads no migration script: its idea of the newest
revision is a constant, held here to the migrations folder."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

from store.schema import HEAD_REVISION, alembic_config, current_revision


def test_the_head_revision_is_the_newest_migration() -> None:
    scripts = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    assert scripts.get_heads() == [HEAD_REVISION]


def test_an_empty_database_is_at_no_revision() -> None:
    assert current_revision(create_engine("sqlite://")) is None
