"""An edition rendered: the newsletter's HTML (CSS inlined for mail clients) and its plain text.

Practices appear in the editors' order, under Finnish theme headings; a theme's heading comes
where its first practice does. A Swedish or English practice keeps its own title, summary and
"Läs mer" under the Finnish heading (and its `lang`). Links go to the practices' pages under
`[publishing] base_url`, and photos are linked from the exported site there (`url`) or
embedded by Content-ID (`cid`); without base_url nothing can be linked, so rendering stops with
a ConfigError naming the key instead of writing a placeholder. A practice no longer approved is
left out (and reported). Every text is escaped and no `{{` or `{%` survives (`review.templating`);
`assert_no_placeholder` checks the finished output once more.

The layout is a table 600 px wide that narrows on phones (a kept media query), with widths as
attributes, inline styles (css-inline) and an Outlook-only fixed table, which is what Outlook's
Word engine, Gmail and Apple Mail all render the same.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import css_inline
from sqlalchemy.orm import Session

from core.catalogue import TABLES, word
from core.config.mailout import PublishingSettings
from review.editions import EditionEntry, entries, get_edition
from review.export import require_base_url
from review.practice_view import PhotoView, PracticeView, practice_view
from review.publishing import paragraphs
from review.templating import render
from store.files import BlobStore
from store.models import NewsletterEdition

LANGUAGE = "fi"
COLUMN_WIDTH = 536
PORTRAIT_HEIGHT = 360
NEWSLETTER_WORDS = TABLES["newsletter"]


class PlaceholderLeft(AssertionError):
    """Raised if a finished newsletter still holds `{{` or `{%` (a bug, never sent)."""


@dataclass(frozen=True, slots=True)
class EmbeddedImage:
    """A photo carried in the .eml, named by its Content-ID."""

    cid: str
    blob: str
    filename: str


@dataclass(frozen=True, slots=True)
class ItemPhoto:
    """A practice's photo as the newsletter shows it: address, display size, alt, credit."""

    src: str
    width: int
    height: int
    alt: str
    credit: str
    wide: bool


@dataclass(frozen=True, slots=True)
class Item:
    """A practice in the newsletter."""

    view: PracticeView
    url: str
    photo: ItemPhoto | None
    read_more: str
    read_more_text: str
    photo_credit: str


@dataclass(frozen=True, slots=True)
class Group:
    """A Finnish theme heading and its practices, in the editors' order."""

    heading: str
    items: list[Item]


@dataclass
class Newsletter:
    """A rendered edition: the mail's HTML (cid: or URL photos), the HTML alone (URL photos),
    the plain text, the images the mail embeds, and the practices left out."""

    month: str
    subject: str
    html: str
    html_alone: str
    text: str
    images: list[EmbeddedImage] = field(default_factory=list)
    left_out: list[int] = field(default_factory=list)
    missing_alt: list[int] = field(default_factory=list)


def month_name(month: str, lang: str = LANGUAGE) -> str:
    """ "toukokuu 2025" for "2025-05"."""
    year, number = month.split("-")
    return f"{word(TABLES['months'], str(int(number)), lang)} {year}"


def display_size(photo: PhotoView) -> tuple[int, int, bool]:
    """How big a photo is shown: landscape across the column, portrait at most 360 px high."""
    width, height = photo.web.width, photo.web.height
    if photo.portrait:
        shown = min(PORTRAIT_HEIGHT, height)
        return max(1, round(width * shown / height)), shown, False
    shown = min(COLUMN_WIDTH, width)
    return shown, max(1, round(height * shown / width)), True


def _photo(view: PracticeView, src: str) -> ItemPhoto | None:
    if view.photo is None:
        return None
    width, height, wide = display_size(view.photo)
    return ItemPhoto(src, width, height, view.photo.alt, view.photo.credit, wide)


def _item(view: PracticeView, base_url: str, photo_src: str) -> Item:
    url = f"{base_url}/{view.href}"
    return Item(
        view=view,
        url=url,
        photo=_photo(view, photo_src),
        read_more=word(NEWSLETTER_WORDS, "read_more", view.lang),
        read_more_text=word(NEWSLETTER_WORDS, "read_more_text", view.lang, url=url),
        photo_credit=view.words("photo_credit", credit=view.photo.credit) if view.photo else "",
    )


def group_by_theme(items: list[Item]) -> list[Group]:
    """Items under Finnish theme headings, each theme where its first item is."""
    groups: dict[str, Group] = {}
    for item in items:
        heading = item.view.theme_name_fi.capitalize()
        groups.setdefault(heading, Group(heading, [])).items.append(item)
    return list(groups.values())


@cache
def _inliner() -> css_inline.CSSInliner:
    # Nothing is fetched: the template carries its own rules.
    return css_inline.CSSInliner(load_remote_stylesheets=False)


def inline_css(html: str) -> str:
    """`html` with its style rules inlined, still holding no `{{`, `}}`, `{%` or `%}`.

    css-inline parses the page and writes it out again, and writing out turns the character
    references the templates put for braces (`&#123;`) back into braces; they are put back.
    No CSS rule holds two braces side by side or a brace beside `%`, so styles are untouched.
    """
    inlined = _inliner().inline(html)
    for pair, reference in (
        ("{{", "&#123;&#123;"),
        ("}}", "&#125;&#125;"),
        ("{%", "&#123;%"),
        ("%}", "%&#125;"),
    ):
        inlined = inlined.replace(pair, reference)
    return inlined


def assert_no_placeholder(*outputs: str) -> None:
    """Stop before anything with a `{{` or `{%` is written (the templates make none)."""
    for output in outputs:
        for mark in ("{{", "{%"):
            if mark in output:
                raise PlaceholderLeft(f"{mark!r} left in the rendered newsletter")


def _views(listed: list[EditionEntry], blobs: BlobStore) -> list[PracticeView]:
    """The approved practices' views in order; a photo whose file is gone is left out."""
    views = []
    for entry in listed:
        if entry.approved:
            view = practice_view(entry.draft, blobs)
            if view.photo is not None and not blobs.path_of(view.photo.web.blob).is_file():
                view = dataclasses.replace(view, photo=None)
            views.append(view)
    return views


def _embedded(view: PracticeView, host: str) -> EmbeddedImage | None:
    if view.photo is None:
        return None
    name = PurePosixPath(view.photo.web.file)
    return EmbeddedImage(cid=f"{name.stem}@{host}", blob=view.photo.web.blob, filename=name.name)


def _context(edition: NewsletterEdition, publishing: PublishingSettings) -> dict[str, Any]:
    """What both templates show besides the practices: names, intro, footer."""
    name = word(NEWSLETTER_WORDS, "name", LANGUAGE)
    month = month_name(edition.month)
    intro = [tuple(lines) for lines in paragraphs(edition.intro)]
    subject = word(NEWSLETTER_WORDS, "subject", LANGUAGE, name=name, month=month)
    return {
        "name": name,
        "tagline": word(NEWSLETTER_WORDS, "tagline", LANGUAGE, month=month),
        "subject": subject,
        "intro": intro,
        "preheader": " ".join(" ".join(intro[0]).split()) if intro else subject,
        "all_practices": word(NEWSLETTER_WORDS, "all_practices", LANGUAGE),
        "subscribed": word(NEWSLETTER_WORDS, "subscribed", LANGUAGE),
        "unsubscribe": word(NEWSLETTER_WORDS, "unsubscribe", LANGUAGE),
        "site_url": f"{publishing.base_url.rstrip('/')}/index.html",
        "unsubscribe_url": publishing.unsubscribe_url,
    }


def build_newsletter(
    session: Session,
    blobs: BlobStore,
    month: str,
    publishing: PublishingSettings,
    *,
    config_source: str = "(configuration)",
) -> Newsletter:
    """Render the edition of `month`, photos as `[publishing] newsletter_images` says."""
    base_url = require_base_url(publishing, config_source, "the newsletter's links")
    edition = get_edition(session, month)
    listed = entries(session, edition)
    views = _views(listed, blobs)
    host = urlsplit(base_url).hostname or "localhost"
    embed = publishing.newsletter_images == "cid"
    images: list[EmbeddedImage] = []
    in_mail, alone = [], []
    for view in views:
        linked = f"{base_url}/{view.photo.web.file}" if view.photo else ""
        image = _embedded(view, host) if embed else None
        if image is not None:
            images.append(image)
        in_mail.append(_item(view, base_url, f"cid:{image.cid}" if image else linked))
        alone.append(_item(view, base_url, linked))
    context = _context(edition, publishing)
    html = inline_css(render("newsletter/edition.html", groups=group_by_theme(in_mail), **context))
    html_alone = inline_css(
        render("newsletter/edition.html", groups=group_by_theme(alone), **context)
    )
    text = render("newsletter/edition.txt", groups=group_by_theme(alone), **context)
    assert_no_placeholder(html, html_alone, text)
    return Newsletter(
        month=edition.month,
        subject=context["subject"],
        html=html,
        html_alone=html_alone,
        text=text,
        images=images,
        left_out=[entry.draft.id for entry in listed if not entry.approved],
        missing_alt=[v.id for v in views if v.photo is not None and not v.photo.alt_given],
    )
