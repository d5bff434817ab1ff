"""Exports and the newsletter never write through a symlink planted in the output folder."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from email.headerregistry import Address
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from core.config.mailout import PublishingSettings
from review import editions, operations
from review.export import export
from review.newsletter import build_newsletter
from review.newsletter_mail import file_names, newsletter_message, write_newsletter
from review.output import MANIFEST, MANIFEST_SCHEMA
from review.practice_view import PHOTO_FOLDER
from store.files import BlobStore
from store.models import PracticeDraft
from tests.unit.review.conftest import Builder

VICTIM = b"do not touch"


@pytest.fixture
def approved(sessions: sessionmaker[Session], build: Builder, blobs: BlobStore) -> int:
    web_path = blobs.put_derivative(b"\xff\xd8kuva", "jpg")
    draft_id = build(
        title="Avoin data",
        photos=({"web_path": web_path, "web_width": 10, "web_height": 10, "credit": ""},),
    )
    with sessions.begin() as session:
        operations.approve(session, draft_id, "anna", force=True)
        draft = session.get(PracticeDraft, draft_id)
        assert draft is not None
        draft.approved_at = datetime(2025, 5, 20, tzinfo=UTC)
    return draft_id


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    target = tmp_path / "elsewhere" / "victim.txt"
    target.parent.mkdir()
    target.write_bytes(VICTIM)
    return target


@pytest.mark.parametrize("fmt", ["markdown", "html", "json"])
def test_a_symlink_at_an_output_name_is_replaced_not_followed(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, victim: Path, fmt: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    out = tmp_path / "vienti"
    with sessions.begin() as session:
        names = export(session, blobs, out / "first", fmt).files
    out.mkdir(exist_ok=True)
    for name in names:
        planted = out / name
        planted.parent.mkdir(parents=True, exist_ok=True)
        planted.symlink_to(victim)
        # The temporary name an export used to write through first.
        planted.with_name(f".{planted.name}.partial").symlink_to(victim)
    with sessions.begin() as session:
        export(session, blobs, out, fmt)
    assert victim.read_bytes() == VICTIM
    for name in names:
        assert not (out / name).is_symlink()
        assert (out / name).read_bytes() == (out / "first" / name).read_bytes()


def test_a_symlinked_photo_folder_is_replaced_not_written_into(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, victim: Path, tmp_path: Path
) -> None:
    out = tmp_path / "vienti"
    out.mkdir()
    (out / PHOTO_FOLDER).symlink_to(victim.parent, target_is_directory=True)
    with sessions.begin() as session:
        export(session, blobs, out, "markdown")
    assert os.listdir(victim.parent) == ["victim.txt"]
    assert (out / PHOTO_FOLDER).is_dir() and not (out / PHOTO_FOLDER).is_symlink()
    assert len(list((out / PHOTO_FOLDER).iterdir())) == 1


def test_a_fifo_at_an_output_name_does_not_hang_the_export(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, tmp_path: Path
) -> None:
    out = tmp_path / "vienti"
    out.mkdir()
    os.mkfifo(out / "practices.json")
    with sessions.begin() as session:
        export(session, blobs, out, "json")
    assert (out / "practices.json").is_file()


def test_the_newsletter_replaces_a_planted_symlink_instead_of_following_it(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, victim: Path, tmp_path: Path
) -> None:
    out = tmp_path / "uutiskirje"
    out.mkdir()
    for name in file_names("2025-05"):
        (out / name).symlink_to(victim)
    publishing = PublishingSettings(base_url="https://avoinhallinto.example")
    with sessions.begin() as session:
        editions.new_edition(session, "2025-05", "eeva")
        editions.add_practices(session, "2025-05", [approved], "eeva")
        newsletter = build_newsletter(session, blobs, "2025-05", publishing)
    message = newsletter_message(
        newsletter,
        blobs,
        sender=Address("Avoin hallinto", "avoinhallinto", "vm.fi"),
        to="",
        unsubscribe_url="",
        now=datetime(2025, 5, 30, tzinfo=UTC),
    )
    paths = write_newsletter(newsletter, message, out)
    assert victim.read_bytes() == VICTIM
    assert all(path.is_file() and not path.is_symlink() for path in paths)
    assert "Avoin data" in paths[2].read_text(encoding="utf-8")


def test_a_manifest_cannot_make_an_export_remove_files_outside_its_folder(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, victim: Path, tmp_path: Path
) -> None:
    out = tmp_path / "vienti"
    out.mkdir()
    (out / MANIFEST).write_text(
        json.dumps({"schema": MANIFEST_SCHEMA, "files": [f"../elsewhere/{victim.name}"]})
    )
    with sessions.begin() as session:
        export(session, blobs, out, "json")
    assert victim.read_bytes() == VICTIM


def test_a_planted_link_in_the_export_is_removed_itself_not_its_target(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, victim: Path, tmp_path: Path
) -> None:
    out = tmp_path / "vienti"
    with sessions.begin() as session:
        export(session, blobs, out, "markdown")
        draft = session.get(PracticeDraft, approved)
        assert draft is not None
        draft.status = "draft"
    [page] = out.glob("*.md")
    page.unlink()
    page.symlink_to(victim)
    with sessions.begin() as session:
        export(session, blobs, out, "markdown")
    assert victim.read_bytes() == VICTIM
    assert not page.is_symlink() and not page.exists()
