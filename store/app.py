"""The running application's handles: settings, engine, sessions and files, opened once per process.

Commands and the daemon get one `App` and pass it down; nothing reads configuration or opens a
database anywhere else, so there is no global state to reset in tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from store.db import make_engine, read_only_session_factory, session_factory
from store.files import BlobStore, open_data_dir
from store.schema import require_current


@dataclass(frozen=True)
class App:
    """What every command needs, opened from one Settings."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    blobs: BlobStore
    readers: sessionmaker[Session]

    def close(self) -> None:
        """Release database connections."""
        self.engine.dispose()


def open_app(settings: Settings, *, check_schema: bool = True) -> App:
    """Open the database and data directory; refuse an out-of-date schema unless told not to."""
    open_data_dir(settings.data_dir)
    engine = make_engine(settings.database_url)
    if check_schema:
        require_current(engine)
    return App(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        blobs=BlobStore(settings.data_dir, fsync=settings.fsync),
        readers=read_only_session_factory(engine),
    )
