"""Engines and sessions: SQLite (the embedded default) tuned for durability, or PostgreSQL.

The session's lifecycle belongs to the caller: `session_factory(engine)` returns a sessionmaker and
each unit of work is `with factory.begin() as session:`. Repository functions never commit.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from core.access import can_read_write, private_file_fix
from core.errors import StorageError
from store import draft_index
from store.files import PRIVATE_FILE_MODE, open_data_dir

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _prepare_sqlite_file(database: str) -> None:
    """Create the SQLite file readable by the service user only, before SQLite makes it 0644.

    SQLite needs to write beside its file too (the -wal and -shm files of WAL mode), even to
    read; a file or directory this user cannot use is named with its fix here, since SQLite
    itself would only say "unable to open database file".
    """
    if not database or database == ":memory:":
        return
    path = Path(database)
    open_data_dir(path.parent)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE)
        os.close(fd)
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if part.exists() and not can_read_write(part):
            raise StorageError(
                f"database file {part} is not readable and writable; {private_file_fix(part)} "
                "(was a command run as root?)"
            )


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Hand transaction control to SQLAlchemy's BEGIN so that pysqlite does not defer it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL makes each commit durable in WAL mode; NORMAL could lose the last commits on power loss,
    # and a commit is our promise that a message may now be moved away on the server.
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


READ_ONLY_OPTION = "practices_read_only"


def _sqlite_on_begin(connection: Any) -> None:
    # Writers take the lock up front (IMMEDIATE), so two writers wait instead of failing mid-way;
    # readers begin deferred and, in WAL mode, never wait for a writer's batch to commit.
    if connection.get_execution_options().get(READ_ONLY_OPTION):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets WAL, FULL sync, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _prepare_sqlite_file(parsed.database or "")
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """The sessionmaker every command uses; objects stay readable after commit, and every draft
    written keeps its queue columns and search index (`store.draft_index`)."""
    return draft_index.watch(sessionmaker(engine, expire_on_commit=False))


def read_only_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for commands that only read: on SQLite they never wait behind the daemon."""
    return draft_index.watch(
        sessionmaker(engine.execution_options(**{READ_ONLY_OPTION: True}), expire_on_commit=False)
    )
