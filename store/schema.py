"""Schema migrations with Alembic, configured in code (no alembic.ini to lose or misplace).

`upgrade(engine)` brings a database to the newest revision; `require_current(engine)` is what the
daemon and every command call first, so an out-of-date schema stops them with the command to run.

That first check needs no Alembic: the newest revision is `HEAD_REVISION` (a test holds it to the
migrations folder) and the database's is one row of `alembic_version`. Loading Alembic and its
migration scripts cost every command 0.2 s at start; only `db upgrade` and tests load it now.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from core.errors import SchemaOutOfDate

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions/; a new migration changes it too.
HEAD_REVISION = "0006"
# Where Alembic keeps the revision a database is at (its default name).
VERSION_TABLE = "alembic_version"


def alembic_config(engine: Engine) -> Config:
    """An Alembic Config pointing at our migrations and at `engine`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        versions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    if len(versions) > 1:  # Alembic's branches; ours is one line of migrations
        raise SchemaOutOfDate(
            f"the database records {len(versions)} schema revisions in {VERSION_TABLE}: "
            "restore it from a backup"
        )
    return str(versions[0][0]) if versions else None


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to `revision`."""
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Revert migrations down to `revision`."""
    from alembic import command

    command.downgrade(alembic_config(engine), revision)


def require_current(engine: Engine) -> None:
    """Raise SchemaOutOfDate unless the database is at the head revision."""
    current = current_revision(engine)
    if current != HEAD_REVISION:
        shown = current or "empty"
        raise SchemaOutOfDate(
            f"the database schema is at {shown}, this version needs {HEAD_REVISION}: "
            "run `practices db upgrade` (back up the database first)"
        )
