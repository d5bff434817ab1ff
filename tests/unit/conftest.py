"""The unit tier: pure functions and the real store on a fresh SQLite file, never a migration.

Schemas come from the models (tests/schema.py); running the migrations is the integration
tier's job (tests/integration/test_store.py), so a unit test that reaches Alembic fails here.
"""

from __future__ import annotations

from typing import NoReturn

import pytest
from alembic import command


@pytest.fixture(autouse=True)
def no_migrations(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any Alembic upgrade or downgrade in a unit test fail, naming what to use instead."""

    def refuse(*_args: object, **_kwargs: object) -> NoReturn:
        raise AssertionError(
            "unit tests build the schema with tests.schema.create_schema, not migrations"
        )

    monkeypatch.setattr(command, "upgrade", refuse)
    monkeypatch.setattr(command, "downgrade", refuse)
