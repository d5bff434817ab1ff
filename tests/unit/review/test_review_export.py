"""Exports of approved practices: deterministic JSON, Markdown and HTML, photos beside them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from review import operations
from review.export import export
from store.files import BlobStore
from tests.unit.review.conftest import Builder


@pytest.fixture
def approved(sessions: sessionmaker[Session], build: Builder, blobs: BlobStore) -> int:
    web_path = blobs.put_derivative(b"\xff\xd8fake-jpeg", "jpg")
    draft_id = build(
        title="Avoin data <script>alert(1)</script>",
        theme="open_data",
        what_and_why="Avasimme <b>aineistot</b> & rajapinnat.\n\nToinen kappale.",
        photos=(
            {"web_path": web_path, "web_width": 1600, "web_height": 1200, "credit": "Kuvaaja"},
        ),
    )
    build(title="Hylätty", subject="toinen")  # a draft that is never approved
    with sessions.begin() as session:
        operations.approve(session, draft_id, "anna")
    return draft_id


def tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("fmt", ["json", "markdown", "html"])
def test_exporting_twice_gives_identical_files(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, tmp_path: Path, fmt: str
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    with sessions.begin() as session:
        export(session, blobs, first, fmt)
    with sessions.begin() as session:
        export(session, blobs, second, fmt)
        export(session, blobs, first, fmt)
    assert tree(first) == tree(second)
    assert any(name.startswith("photos/") for name in tree(first))


def test_json_export_has_versioned_schema_and_relative_photo(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, tmp_path: Path
) -> None:
    with sessions.begin() as session:
        export(session, blobs, tmp_path, "json")
    document = json.loads((tmp_path / "practices.json").read_text(encoding="utf-8"))
    assert (document["schema"], document["version"]) == ("practice-inbox/export", 1)
    [practice] = document["practices"]
    assert practice["id"] == approved
    assert practice["theme_name"] == "avoin data"
    assert (tmp_path / practice["photo"]["path"]).read_bytes() == b"\xff\xd8fake-jpeg"
    assert "contact_email" not in practice


def test_markdown_has_front_matter_and_escaped_body(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, tmp_path: Path
) -> None:
    with sessions.begin() as session:
        export(session, blobs, tmp_path, "markdown")
    [page] = tmp_path.glob("*.md")
    assert page.name == f"{approved}-avoin-data-script-alert-1-script.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    assert 'theme: "avoin data"' in text and "date: 2025-05-06" in text
    assert 'credit: "Kuvaaja"' in text
    assert "## Mitä tehtiin ja miksi?" in text
    assert "&lt;b&gt;aineistot&lt;/b&gt;" in text


def test_html_page_escapes_every_text(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, tmp_path: Path
) -> None:
    with sessions.begin() as session:
        export(session, blobs, tmp_path, "html")
    page = next(p for p in tmp_path.glob("*.html") if p.name != "index.html")
    text = page.read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
    assert "<h2>Mitä tehtiin ja miksi?</h2>" in text
    assert "Teema: avoin data" in text
    assert '<img src="photos/' in text


def test_since_leaves_out_earlier_approvals(
    sessions: sessionmaker[Session], blobs: BlobStore, approved: int, tmp_path: Path
) -> None:
    from datetime import date

    with sessions.begin() as session:
        report = export(session, blobs, tmp_path, "json", since=date(2999, 1, 1))
    assert report.practices == 0
