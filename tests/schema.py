"""A fresh store schema in milliseconds for the unit tier: the models' tables, no migrations.

tests/integration/test_store.py proves that the Alembic migrations build exactly these tables
(and go down and up again), so the unit tier may create them straight from the models. The
database is stamped with the head revision, so the commands that refuse an out-of-date schema
take it as current, as they would after `practices db upgrade`.
"""

from __future__ import annotations

from sqlalchemy import Column, Engine, MetaData, String, Table

from store.models import Base
from store.schema import HEAD_REVISION

# Alembic's own bookkeeping table, as `alembic stamp` would create it.
_VERSIONS = MetaData()
_ALEMBIC_VERSION = Table(
    "alembic_version", _VERSIONS, Column("version_num", String(32), primary_key=True)
)


def create_schema(engine: Engine) -> None:
    """Create every table of the models in an empty database and mark it as up to date."""
    Base.metadata.create_all(engine)
    _VERSIONS.create_all(engine)
    with engine.begin() as connection:
        connection.execute(_ALEMBIC_VERSION.insert().values(version_num=HEAD_REVISION))
