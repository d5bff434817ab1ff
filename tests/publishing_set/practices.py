"""The set's practices and newsletter editions, read from practices.toml and stored as rows."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from core.catalogue import SECTIONS
from review import editions
from store.files import BlobStore
from store.models import PracticeDraft
from tests.publishing_set.photos import photo_row
from tests.rows import inbound_row

SET = Path(__file__).resolve().with_name("practices.toml")
EDITOR = "eeva"


@dataclass(frozen=True)
class ScenePhoto:
    """A practice's main photo: a scene of photos.py, its alt text (may be missing), credit."""

    scene: str
    credit: str
    alt: str = ""


@dataclass(frozen=True)
class Spec:
    """One practice of the set: what the editors approved, and when."""

    title: str
    organisation: str
    theme: str
    language: str
    answers: Mapping[str, str]
    approved: datetime
    photo: ScenePhoto | None = None
    status: str = "approved"


@dataclass(frozen=True)
class Edition:
    """A newsletter edition: its month, the practices' ids in the editors' order, its intro."""

    month: str
    practices: tuple[int, ...]
    intro: str = ""


def _spec(table: dict[str, Any]) -> Spec:
    photo = table.pop("photo", None)
    return Spec(**table, photo=ScenePhoto(**photo) if photo else None)


def _read() -> tuple[tuple[Spec, ...], tuple[Edition, ...]]:
    with SET.open("rb") as file:
        tables = tomllib.load(file)
    specs = tuple(_spec(table) for table in tables["practice"])
    months = tuple(
        Edition(**{**table, "practices": tuple(table["practices"])}) for table in tables["edition"]
    )
    return specs, months


SPECS, EDITIONS = _read()


def _draft(spec: Spec, number: int, blobs: BlobStore) -> PracticeDraft:
    """The practice as an editor left it, with the message it came in (a month before)."""
    received = spec.approved.replace(day=1, hour=8)
    raw = f"Subject: {spec.title}\r\n\r\n{spec.answers['what_and_why']}\r\n".encode()
    inbound = inbound_row(
        blobs,
        raw,
        uid=number,
        message_id=f"<kaytanto-{number}@example.fi>",
        sent_at=received,
        sender="lahettaja@example.fi",
        subject=spec.title,
        created_at=received,
    )
    photo = spec.photo
    draft = PracticeDraft(
        inbound=inbound,
        title=spec.title,
        organisation=spec.organisation,
        contact_name="Yhteyshenkilö",
        contact_email="yhteys@example.fi",
        theme=spec.theme,
        language=spec.language,
        **{key: spec.answers.get(key, "") for key in SECTIONS},
        photo_credit=photo.credit if photo else "",
        status=spec.status,
        approved_at=spec.approved if spec.status == "approved" else None,
        created_at=received,
        updated_at=spec.approved,
    )
    if photo:
        draft.photos = [photo_row(blobs, photo.scene, photo.alt, photo.credit)]
    return draft


def load_practices(sessions: sessionmaker[Session], blobs: BlobStore) -> list[int]:
    """Store the set (ids 1..9 in a fresh database); returns the ids."""
    ids = []
    with sessions.begin() as session:
        for number, spec in enumerate(SPECS, start=1):
            draft = _draft(spec, number, blobs)
            session.add(draft)
            session.flush()
            ids.append(draft.id)
    return ids


def load_editions(sessions: sessionmaker[Session]) -> None:
    """The set's editions, each with its practices in the editors' order."""
    with sessions.begin() as session:
        for edition in EDITIONS:
            editions.new_edition(session, edition.month, EDITOR, edition.intro)
            editions.add_practices(session, edition.month, edition.practices, EDITOR)
