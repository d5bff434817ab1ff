"""The console's preview is the export's own page: same template, words and stylesheet; only the
photo's and the stylesheet's addresses are the console's."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from review import operations
from review.export import export
from review.preview import preview_page, site_stylesheet
from store.files import BlobStore
from tests.unit.review.conftest import Builder

ADDRESSES = re.compile(r'<img [^>]*>|<link rel="stylesheet"[^>]*>')


def test_the_preview_is_the_exported_page_with_the_consoles_addresses(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore, tmp_path: Path
) -> None:
    web = blobs.put_derivative(b"\xff\xd8 kuva", "jpg")
    draft_id = build(
        language="sv",
        photos=({"web_path": web, "web_width": 900, "web_height": 1200, "alt_text": "Bild"},),
    )
    with sessions.begin() as session:
        operations.approve(session, draft_id, "eeva")
    with sessions.begin() as session:
        export(session, blobs, tmp_path, "html")
        draft = operations.get_draft(session, draft_id)
        photo_id = draft.photos[0].id
        preview = preview_page(
            draft,
            lambda photo: f"/drafts/{draft_id}/photos/{photo.id}/web",
            stylesheet_url="/static/site.css",
        )
    [exported] = tmp_path.glob(f"{draft_id}-*.html")
    assert ADDRESSES.sub("", preview) == ADDRESSES.sub("", exported.read_text(encoding="utf-8"))
    assert f'src="/drafts/{draft_id}/photos/{photo_id}/web"' in preview
    assert 'href="/static/site.css"' in preview and 'lang="sv"' in preview


def test_a_draft_not_yet_approved_previews_without_failing(
    sessions: sessionmaker[Session], build: Builder
) -> None:
    draft_id = build(theme=None, title="", what_and_why="", language="")
    with sessions.begin() as session:
        page = preview_page(operations.get_draft(session, draft_id), lambda photo: "")
    assert '<html lang="fi">' in page and "<img" not in page


def test_the_console_can_serve_the_sites_stylesheet() -> None:
    assert site_stylesheet().startswith("/* The exported site's one stylesheet")
