"""`practices export`: approved practices as a static site, Markdown, JSON or an Atom feed.

- `html`: the site (`review.site`): front page, theme pages, practice pages, `style.css`, the
  photos in `kuvat/`, and `feed.xml` when `[publishing] base_url` is set;
- `markdown`: one `<id>-<slug>.md` per practice for Hugo or Jekyll, photos in `kuvat/`;
- `json`: `practices.json` (versioned schema, `review.export_formats`), photos in `kuvat/`;
- `atom`: `feed.xml` alone (needs base_url).

Exports are deterministic: the same practices give byte-identical files (sorted keys and rows,
no export timestamp), so a re-export writes only what changed, a site generator or a
version-control diff sees only that, and the pages and photos of practices no longer approved
are removed (`review.output`). Nothing is written through a symlink planted in the folder.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from core.config.mailout import PublishingSettings
from core.errors import ConfigError
from review.export_formats import json_document, markdown_page, practice_record
from review.feed import FEED_FILE, atom_feed
from review.output import OutputFolder
from review.practice_view import PracticeView, practice_view
from review.publishing import approved_practices
from review.site import SiteFrame, site_pages
from store.files import BlobStore

log = logging.getLogger(__name__)

FORMATS = ("html", "markdown", "json", "atom")


@dataclass
class ExportReport:
    """What an export made, wrote and removed, relative to the output directory."""

    practices: int = 0
    files: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    missing_photos: list[int] = field(default_factory=list)
    missing_alt: list[int] = field(default_factory=list)
    feed_skipped: bool = False


def site_frame(publishing: PublishingSettings, *, feed: bool) -> SiteFrame:
    """The frame of the site's pages from `[publishing]`."""
    return SiteFrame(
        title_override=publishing.site_title,
        base_url=publishing.base_url.rstrip("/"),
        feed=feed,
    )


def _with_photo_files(view: PracticeView, blobs: BlobStore, report: ExportReport) -> PracticeView:
    """`view` as exported: without its photo when the photo's file is missing."""
    if view.photo is None:
        return view
    if not blobs.path_of(view.photo.web.blob).is_file():
        log.warning("practice %d: photo file %s is missing", view.id, view.photo.web.blob)
        report.missing_photos.append(view.id)
        return dataclasses.replace(view, photo=None)
    if not view.photo.alt_given:
        report.missing_alt.append(view.id)
    return view


def _copy_photos(views: list[PracticeView], blobs: BlobStore, folder: OutputFolder) -> None:
    for view in views:
        if view.photo is not None:
            for derivative in view.photo.derivatives:
                folder.copy(derivative.file, blobs.path_of(derivative.blob))


def require_base_url(publishing: PublishingSettings, source: str, what: str) -> str:
    """`[publishing] base_url`, or a ConfigError naming the key and what needs it."""
    if not publishing.base_url:
        raise ConfigError(source, "publishing.base_url", f"is not set; {what} needs it")
    return publishing.base_url.rstrip("/")


def export(
    session: Session,
    blobs: BlobStore,
    out_dir: Path,
    fmt: str,
    *,
    since: date | None = None,
    publishing: PublishingSettings | None = None,
    config_source: str = "(configuration)",
) -> ExportReport:
    """Write the approved practices (approved on or after `since`) to `out_dir` in `fmt`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    publishing = publishing or PublishingSettings()
    if fmt == "atom":
        require_base_url(publishing, config_source, "the Atom feed")
    report = ExportReport()
    drafts = approved_practices(session, since=since)
    views = [_with_photo_files(practice_view(d, blobs), blobs, report) for d in drafts]
    report.practices = len(views)
    folder = OutputFolder(out_dir, fmt)
    with_feed = bool(publishing.base_url)
    frame = site_frame(publishing, feed=with_feed)
    if fmt == "html":
        _copy_photos(views, blobs, folder)
        for page in site_pages(views, frame):
            if page.fingerprint is None:
                folder.write_text(page.name, page.render())
            else:
                folder.write_rendered(page.name, page.fingerprint, page.render)
        report.feed_skipped = not with_feed
    elif fmt == "markdown":
        _copy_photos(views, blobs, folder)
        for view in views:
            folder.write_text(f"{view.name}.md", markdown_page(view))
    elif fmt == "json":
        _copy_photos(views, blobs, folder)
        records = [
            practice_record(view, draft, publishing.base_url)
            for view, draft in zip(views, drafts, strict=True)
        ]
        folder.write_text("practices.json", json_document(records))
    if with_feed and fmt in ("html", "atom"):
        folder.write_text(FEED_FILE, atom_feed(views, frame, publishing.feed_entries))
    folder.finish()
    report.files, report.written, report.removed = folder.files, folder.written, folder.removed
    return report
