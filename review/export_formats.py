"""The Markdown and JSON forms of an approved practice: for a site generator and for scripts.

Markdown: YAML front matter that Hugo and Jekyll read as it is, then the four answers under
their questions in the practice's language. Submitted text renders as itself (see
`review.markdown_text`): links only from "Lisätietoa", only http, https and mailto. Front
matter keys::

    title, date (day of approval), lastmod, categories: [Finnish theme name] (the taxonomy both
    generators know), theme_key, organisation, lang, summary, description (= summary), image and
    images: [image] (the photo, relative to the export folder), image_alt, image_credit, slug,
    practice_id

JSON schema, version 1 (`practices.json`); keys are only ever added within a version::

    {"schema": "practice-inbox/export", "version": 1,
     "practices": [{"id", "slug", "page": "<id>-<slug>.html", "url": absolute page or null,
                    "title", "organisation", "theme", "theme_name", "language",
                    "received_on": "YYYY-MM-DD", "published_on": "YYYY-MM-DD",
                    "approved_at": ISO 8601 UTC, "summary",
                    "sections": {"what_and_why", "achieved", "next_steps", "more_info"},
                    "photo": null | {"path": "kuvat/<id>-<hash>.jpg", "width", "height",
                                     "alt", "alt_given", "credit",
                                     "thumbnail": null | {"path", "width", "height"}}}]}

Contact details are never exported: what is public of the contact lies in "more_info".
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from core.vocabulary import SECTION_KEYS
from review.markdown_text import markdown_paragraph
from review.practice_view import PracticeView
from review.publishing import received_on
from store.models import PracticeDraft

EXPORT_SCHEMA = "practice-inbox/export"
EXPORT_VERSION = 1


def _yaml(value: str) -> str:
    """`value` as a YAML double-quoted scalar (a JSON string is one). Line separators are
    escaped, and so are braces (`\\u007b`, read back as `{`), so no `{{` or `{%` a template or
    shortcode step could act on stands in the file, even in front matter."""
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in (("\u2028", "\\L"), ("\u2029", "\\P"), ("{", "\\u007b"), ("}", "\\u007d")):
        text = text.replace(raw, escaped)
    return text


def markdown_page(view: PracticeView) -> str:
    """A Markdown file with YAML front matter for Hugo or Jekyll."""
    photo = view.photo
    front = [
        "---",
        f"title: {_yaml(view.title)}",
        f"date: {view.published.isoformat()}",
        f"lastmod: {max(view.published, view.updated_at.date()).isoformat()}",
    ]
    if view.theme:
        front.append(f"categories: [{_yaml(view.theme_name_fi.capitalize())}]")
    front += [
        f"theme_key: {_yaml(view.theme or '')}",
        f"organisation: {_yaml(view.organisation)}",
        f"lang: {_yaml(view.lang)}",
        f"summary: {_yaml(view.summary)}",
        f"description: {_yaml(view.summary)}",
    ]
    if photo is not None:
        front += [
            f"image: {_yaml(photo.web.file)}",
            f"images: [{_yaml(photo.web.file)}]",
            f"image_alt: {_yaml(photo.alt)}",
            f"image_credit: {_yaml(photo.credit)}",
        ]
    front += [f"slug: {_yaml(view.name)}", f"practice_id: {view.id}", "---", ""]
    body = []
    for section in view.sections:
        body.append(f"## {section.heading}\n")
        for lines in section.paragraphs:
            body.append(markdown_paragraph(lines, links=section.links) + "\n")
    return "\n".join(front) + "\n".join(body)


def _photo_record(view: PracticeView) -> dict[str, Any] | None:
    photo = view.photo
    if photo is None:
        return None
    thumbnail = photo.thumbnail
    return {
        "path": photo.web.file,
        "width": photo.web.width,
        "height": photo.web.height,
        "alt": photo.alt,
        "alt_given": photo.alt_given,
        "credit": photo.credit,
        "thumbnail": (
            {"path": thumbnail.file, "width": thumbnail.width, "height": thumbnail.height}
            if thumbnail
            else None
        ),
    }


def practice_record(view: PracticeView, draft: PracticeDraft, base_url: str) -> dict[str, Any]:
    """One practice in the JSON export (schema version 1)."""
    return {
        "id": view.id,
        "slug": view.name.split("-", 1)[1],
        "page": view.href,
        "url": f"{base_url.rstrip('/')}/{view.href}" if base_url else None,
        "title": view.title,
        "organisation": view.organisation,
        "theme": view.theme,
        "theme_name": view.theme_name_fi,
        "language": draft.language,
        "received_on": received_on(draft).isoformat(),
        "published_on": view.published.isoformat(),
        "approved_at": draft.approved_at.isoformat() if draft.approved_at else None,
        "summary": view.summary,
        "sections": {key: getattr(draft, key) for key in SECTION_KEYS},
        "photo": _photo_record(view),
    }


def json_document(records: Sequence[dict[str, Any]]) -> str:
    """`practices.json`: the versioned document of every exported practice, in id order."""
    document = {"schema": EXPORT_SCHEMA, "version": EXPORT_VERSION, "practices": list(records)}
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
