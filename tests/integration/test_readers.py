"""Read-only commands on SQLite do not wait for a writer (the daemon's batch) to commit."""

from __future__ import annotations

import time
from pathlib import Path

from core.config import load_settings
from store import schema
from store.app import open_app
from store.db import make_engine
from tests.configs import write_config


def test_a_reader_is_not_blocked_by_an_open_write_transaction(tmp_path: Path) -> None:
    settings = load_settings(write_config(tmp_path / "c.toml"))
    settings.data_dir.mkdir(mode=0o700)
    schema.upgrade(make_engine(settings.database_url))
    app = open_app(settings)
    try:
        with app.sessions.begin() as writer:
            writer.connection()  # holds the write lock (BEGIN IMMEDIATE)
            started = time.monotonic()
            with app.readers() as reader:
                reader.connection().exec_driver_sql("SELECT count(*) FROM inbound_message")
            assert time.monotonic() - started < 1.0
    finally:
        app.close()
