"""Migration 0006 on SQLite and (when PRACTICES_TEST_DATABASE_URL is set) PostgreSQL: the
queue's walk with a search or flag filter reads indexes only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, inspect

from store import schema


def _index(engine: Engine, table: str, name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(
        dict(i) for i in inspect(engine).get_indexes(table) if i["name"] == name
    )
    return found


def test_open_flags_are_indexed_by_code_then_draft(engine: Engine) -> None:
    schema.upgrade(engine)
    index = _index(engine, "draft_flag", "ix_draft_flag_open_code_draft_id")
    assert index["column_names"] == ["code", "draft_id"]
    options = index["dialect_options"]
    where = next(value for key, value in options.items() if key.endswith("_where"))
    assert str(where).strip("()") == "dismissed_at IS NULL"


def test_the_status_index_gives_postgresql_the_draft_id(engine: Engine) -> None:
    schema.upgrade(engine)
    index = _index(engine, "practice_draft", "ix_practice_draft_status_received_at")
    assert index["column_names"] == ["status", "received_at"]
    expected = ["id"] if engine.dialect.name == "postgresql" else None
    assert index["dialect_options"].get("postgresql_include") == expected


def test_downgrade_to_0005_restores_the_previous_indexes(engine: Engine) -> None:
    schema.upgrade(engine)
    schema.downgrade(engine, "0005")
    names = {index["name"] for index in inspect(engine).get_indexes("draft_flag")}
    assert "ix_draft_flag_open_code_draft_id" not in names
    index = _index(engine, "practice_draft", "ix_practice_draft_status_received_at")
    assert index["dialect_options"].get("postgresql_include") in (None, [])
