"""A fixed set of approved practices for the publishing tests, golden files and screenshots.

Finnish, Swedish and English practices, with a landscape photo, a portrait photo, a photo
without alt text, and none; a draft and a rejected submission that must never be published;
and two newsletter editions (April with one practice, May with five, one of them in April's
too). Every time is fixed, so the exports are byte for byte the same on every run.

- `practices.toml`: the practices and editions, as data; `practices.py` stores them as rows.
- `photos.py`: the scenes standing in for photographs, checked in as JPEG derivatives.
- here: `publish_set()`, the whole set exported in every format with May's newsletter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from core.config.mailout import PublishingSettings
from review.export import export
from review.newsletter import build_newsletter
from review.newsletter_mail import newsletter_message, write_newsletter
from store.db import make_engine, session_factory
from store.files import BlobStore
from tests.publishing_set.photos import make_photos
from tests.publishing_set.practices import load_editions, load_practices
from tests.schema import create_schema

__all__ = ["BASE_URL", "Published", "make_photos", "publish_set"]

BASE_URL = "https://avoinhallinto.example/kokemukset"
SENDER = Address("Avoin hallinto", "avoinhallinto", "vm.fi")
RENDERED_AT = datetime(2025, 5, 30, 9, 0, tzinfo=UTC)
NEWSLETTER_MONTH = "2025-05"


@dataclass(frozen=True)
class Published:
    """The set exported and its newsletter rendered, in one folder."""

    root: Path
    site: Path
    markdown: Path
    json: Path
    newsletter: list[Path]
    sessions: sessionmaker[Session]
    blobs: BlobStore


def publish_set(root: Path, *, images: str = "url") -> Published:
    """A fresh database in `root` with the set and its editions, exported in every format
    (`site/`, `markdown/`, `json/`) and May's newsletter rendered (`uutiskirje/`)."""
    engine = make_engine(f"sqlite:///{root / 'practices.db'}")
    create_schema(engine)
    sessions = session_factory(engine)
    blobs = BlobStore(root / "data", fsync=False)
    load_practices(sessions, blobs)
    load_editions(sessions)
    publishing = PublishingSettings(base_url=BASE_URL, newsletter_images=images)
    folders = {"html": root / "site", "markdown": root / "markdown", "json": root / "json"}
    for fmt, folder in folders.items():
        with sessions.begin() as session:
            export(session, blobs, folder, fmt, publishing=publishing)
    with sessions.begin() as session:
        newsletter = build_newsletter(session, blobs, NEWSLETTER_MONTH, publishing)
    message = newsletter_message(
        newsletter, blobs, sender=SENDER, to="", unsubscribe_url="", now=RENDERED_AT
    )
    paths = write_newsletter(newsletter, message, root / "uutiskirje")
    engine.dispose()
    return Published(
        root, folders["html"], folders["markdown"], folders["json"], paths, sessions, blobs
    )
