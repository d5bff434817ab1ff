"""Exports approved practices as JSON, Markdown or HTML pages, with their photos beside them.

Exports are deterministic: the same practices give byte-identical files (sorted keys and rows,
no export timestamp, names `<id>-<slug>.<ext>`), so a site generator or a version-control diff
sees only what really changed. Every text is escaped for its format.

JSON schema, version 1 (`practices.json`)::

    {"schema": "practice-inbox/export", "version": 1,
     "practices": [{"id", "slug", "title", "organisation", "theme", "theme_name",
                    "language", "received_on": "YYYY-MM-DD", "approved_at": ISO 8601 UTC,
                    "sections": {"what_and_why", "achieved", "next_steps", "more_info"},
                    "photo": null | {"path": "photos/<id>-<slug>.<ext>", "width", "height",
                                     "credit"}}]}

Contact details are not exported: what is public of the contact lies in "more_info".
"""

from __future__ import annotations

import html
import json
import logging
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from core.catalogue import section_heading, theme_name
from core.vocabulary import SECTION_KEYS
from review.markdown_text import markdown_paragraph
from review.publishing import approved_practices, page_name, paragraphs, received_on
from store.files import BlobStore, publish_file
from store.models import Photo, PracticeDraft

log = logging.getLogger(__name__)

EXPORT_SCHEMA = "practice-inbox/export"
EXPORT_VERSION = 1
FORMATS = ("json", "markdown", "html")
PAGE_LANGUAGES = ("fi", "sv", "en")


@dataclass
class ExportReport:
    """What an export wrote, relative to the output directory."""

    practices: int = 0
    files: list[str] = field(default_factory=list)
    missing_photos: list[int] = field(default_factory=list)


def _write(out_dir: Path, relative: str, data: bytes, report: ExportReport) -> None:
    # Never through a symlink planted in the output folder (see `publish_file`).
    publish_file(out_dir, relative, data)
    report.files.append(relative)


def main_photo(draft: PracticeDraft) -> Photo | None:
    """The photo shown beside the practice, if it has a web version."""
    return next((p for p in draft.photos if p.role == "main" and p.web_path), None)


def _copy_photo(
    draft: PracticeDraft, blobs: BlobStore, out_dir: Path, report: ExportReport
) -> dict[str, Any] | None:
    photo = main_photo(draft)
    if photo is None:
        return None
    try:
        data = blobs.read(photo.web_path)
    except OSError:
        log.warning(
            "practice %d: photo file %s is missing; exported without it", draft.id, photo.web_path
        )
        report.missing_photos.append(draft.id)
        return None
    relative = f"photos/{page_name(draft)}{Path(photo.web_path).suffix.lower() or '.jpg'}"
    _write(out_dir, relative, data, report)
    return {
        "path": relative,
        "width": photo.web_width,
        "height": photo.web_height,
        "credit": draft.photo_credit or photo.credit,
    }


def practice_record(draft: PracticeDraft, photo: dict[str, Any] | None) -> dict[str, Any]:
    """One practice in the JSON export (schema version 1)."""
    assert draft.approved_at is not None
    return {
        "id": draft.id,
        "slug": page_name(draft).split("-", 1)[1],
        "title": draft.title,
        "organisation": draft.organisation,
        "theme": draft.theme,
        "theme_name": theme_name(draft.theme),
        "language": draft.language,
        "received_on": received_on(draft).isoformat(),
        "approved_at": draft.approved_at.isoformat(),
        "sections": {key: getattr(draft, key) for key in SECTION_KEYS},
        "photo": photo,
    }


def _yaml(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar; line separators must not stay raw.
    return json.dumps(value, ensure_ascii=False).replace("\u2028", "\\L").replace("\u2029", "\\P")


def markdown_page(draft: PracticeDraft, photo: dict[str, Any] | None) -> str:
    """A Markdown file with YAML front matter. The submitted text renders as itself (see
    `markdown_text`): links only from the "Lisätietoa" section, and only http, https, mailto."""
    front = [
        "---",
        f"id: {draft.id}",
        f"title: {_yaml(draft.title)}",
        f"theme: {_yaml(theme_name(draft.theme))}",
        f"theme_key: {_yaml(draft.theme or '')}",
        f"organisation: {_yaml(draft.organisation)}",
        f"date: {received_on(draft).isoformat()}",
        f"photo: {_yaml(photo['path'] if photo else '')}",
        f"credit: {_yaml(photo['credit'] if photo else draft.photo_credit)}",
        "---",
        "",
    ]
    body = []
    for key in SECTION_KEYS:
        text = getattr(draft, key)
        if text.strip():
            body.append(f"## {section_heading(key)}\n")
            for lines in paragraphs(text):
                body.append(markdown_paragraph(lines, links=key == "more_info") + "\n")
    return "\n".join(front) + "\n".join(body)


def html_page(draft: PracticeDraft, photo: dict[str, Any] | None) -> str:
    """A standalone page laid out like an experience page on the programme's website."""
    esc = html.escape
    lang = draft.language if draft.language in PAGE_LANGUAGES else "fi"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        '<head>\n<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(draft.title)}</title>\n</head>",
        '<body>\n<article class="kokemus">',
        f"<h1>{esc(draft.title)}</h1>",
        f'<p class="organisaatio">{esc(draft.organisation)}</p>',
    ]
    if photo:
        parts.append(
            f'<figure>\n<img src="{esc(photo["path"])}" alt="{esc(draft.title)}" '
            f'width="{int(photo["width"])}" height="{int(photo["height"])}">'
        )
        if photo["credit"]:
            parts.append(f"<figcaption>Kuva: {esc(photo['credit'])}</figcaption>")
        parts.append("</figure>")
    for key in SECTION_KEYS:
        text = getattr(draft, key)
        if text.strip():
            parts.append(f"<h2>{esc(section_heading(key))}</h2>")
            for lines in paragraphs(text):
                parts.append("<p>" + "<br>\n".join(esc(line) for line in lines) + "</p>")
    parts += [
        f'<p class="teema">Teema: {esc(theme_name(draft.theme))}</p>',
        "</article>\n</body>\n</html>\n",
    ]
    return "\n".join(parts)


def _index_page(entries: list[tuple[str, str]]) -> str:
    items = "\n".join(
        f'<li><a href="{html.escape(name)}.html">{html.escape(title)}</a></li>'
        for name, title in entries
    )
    return (
        '<!DOCTYPE html>\n<html lang="fi">\n<head>\n<meta charset="utf-8">\n'
        "<title>Hyvät käytännöt</title>\n</head>\n<body>\n<h1>Hyvät käytännöt</h1>\n"
        f"<ul>\n{items}\n</ul>\n</body>\n</html>\n"
    )


def export(
    session: Session,
    blobs: BlobStore,
    out_dir: Path,
    fmt: str,
    *,
    since: date | None = None,
) -> ExportReport:
    """Write the approved practices (approved on or after `since`) to `out_dir` in `fmt`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    report = ExportReport()
    records: list[dict[str, Any]] = []
    entries: list[tuple[str, str]] = []
    for draft in approved_practices(session, since=since):
        photo = _copy_photo(draft, blobs, out_dir, report)
        name = page_name(draft)
        report.practices += 1
        if fmt == "json":
            records.append(practice_record(draft, photo))
        elif fmt == "markdown":
            _write(out_dir, f"{name}.md", markdown_page(draft, photo).encode(), report)
        else:
            _write(out_dir, f"{name}.html", html_page(draft, photo).encode(), report)
            entries.append((name, draft.title))
    if fmt == "json":
        document = {"schema": EXPORT_SCHEMA, "version": EXPORT_VERSION, "practices": records}
        text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        _write(out_dir, "practices.json", text.encode(), report)
    elif fmt == "html":
        _write(out_dir, "index.html", _index_page(entries).encode(), report)
    return report
