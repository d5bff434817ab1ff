"""Fixtures for review tests: a fresh SQLite database in tmp_path and a draft builder.

The schema comes straight from the models (tests/schema.py), not from Alembic: the unit tier
stays fast, and tests/integration/test_store.py checks the migrations build the same tables.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import count
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from store.db import make_engine, session_factory
from store.files import BlobStore
from store.models import DraftFlag, Photo, PracticeDraft
from tests.rows import inbound_row
from tests.schema import create_schema


class Builder(Protocol):
    """The `build` fixture: a committed draft (with its inbound message) from a few fields."""

    def __call__(
        self,
        *,
        flags: tuple[str | tuple[str, dict[str, Any]], ...] = (),
        photos: tuple[dict[str, Any], ...] = (),
        sent_at: datetime | None = None,
        raw: bytes | None = None,
        sender: str = ...,
        subject: str = ...,
        **fields: Any,
    ) -> int: ...


DRAFT_DEFAULTS: dict[str, Any] = {
    "title": "Selkokielinen lupapalvelu",
    "organisation": "Esimerkkilän kaupunki",
    "contact_name": "Maija Meikäläinen",
    "contact_email": "maija.meikalainen@esimerkkila.fi",
    "theme": "understandability",
    "what_and_why": "Kirjoitimme lupaohjeet selkokielellä. Asukkaat eivät ymmärtäneet niitä.",
    "achieved": "Soitot neuvontaan vähenivät.",
    "next_steps": "Laajennamme muihin palveluihin.",
    "more_info": "https://esimerkkila.fi/selko",
    "language": "fi",
}


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def engine(data_dir: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{data_dir / 'practices.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return session_factory(engine)


@pytest.fixture
def blobs(data_dir: Path) -> BlobStore:
    return BlobStore(data_dir, fsync=False)


@pytest.fixture
def build(sessions: sessionmaker[Session], blobs: BlobStore) -> Builder:
    """build(flags=[code or (code, params)], photos=[{...}], sent_at=..., raw=b"...", **fields).

    Returns the new draft's id.
    """
    numbers = count(1)

    def make(
        *,
        flags: tuple[str | tuple[str, dict[str, Any]], ...] = (),
        photos: tuple[dict[str, Any], ...] = (),
        sent_at: datetime | None = None,
        raw: bytes | None = None,
        sender: str = "Maija Meikäläinen <maija.meikalainen@esimerkkila.fi>",
        subject: str = "Hyvä käytäntö",
        **fields: Any,
    ) -> int:
        number = next(numbers)
        raw_bytes = raw if raw is not None else f"Subject: {subject} {number}\r\n\r\nx".encode()
        inbound = inbound_row(
            blobs,
            raw_bytes,
            uid=number,
            message_id=f"<m{number}@esimerkkila.fi>",
            sent_at=sent_at or datetime(2025, 5, 6, 9, 30, tzinfo=UTC),
            sender=sender,
            subject=subject,
        )
        with sessions.begin() as session:
            draft = PracticeDraft(inbound=inbound, **{**DRAFT_DEFAULTS, **fields})
            draft.flags = [
                DraftFlag(code=f, params={})
                if isinstance(f, str)
                else DraftFlag(code=f[0], params=f[1])
                for f in flags
            ]
            draft.photos = [
                Photo(**{"role": "main", "sha256": "0" * 64, "filename": "kuva.jpg", **p})
                for p in photos
            ]
            session.add(draft)
            session.flush()
            return draft.id

    return make


@pytest.fixture
def pg_sessions() -> Iterator[sessionmaker[Session]]:
    """A fresh throwaway schema on the PostgreSQL named by PRACTICES_TEST_DATABASE_URL."""
    url = os.environ.get("PRACTICES_TEST_DATABASE_URL")
    if not url:
        pytest.skip("PRACTICES_TEST_DATABASE_URL is not set")
    schema = f"review_test_{uuid.uuid4().hex[:12]}"
    admin = make_engine(url)
    with admin.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    engine = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        create_schema(engine)
        yield session_factory(engine)
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
