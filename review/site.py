"""The exported site's pages: a front page, one page per theme, one per practice, a stylesheet.

A small static site an editor can publish as it is: every page is a file in one folder
(`index.html`, `<theme>.html`, `<id>-<slug>.html`, `style.css`, photos in `kuvat/`), every link
is relative, so the folder works from any web root, and no page needs a script. The front page
and theme pages are Finnish; each practice's page is in the practice's language (its headings,
labels and `lang`), and a Swedish or English title in a Finnish list carries its own `lang`.

`practice_page` is also the console's preview (`review.preview`), so an editor previews exactly
what is published.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

from core import catalogue
from core.catalogue import TABLES, language, theme_name, word
from core.vocabulary import THEME_KEYS
from review import dates, markdown_text, practice_view, templating
from review.practice_view import SITE_WORDS, Derivative, PracticeView
from review.publishing import slugify
from review.templating import render, stylesheet

SITE_LANGUAGE = "fi"
STYLESHEET = "style.css"
FRONT_PAGE_LATEST = 12
THEME_FILES = {key: f"{slugify(theme_name(key, SITE_LANGUAGE))}.html" for key in THEME_KEYS}
THEME_DESCRIPTIONS = TABLES["theme_descriptions"]


@dataclass(frozen=True, slots=True)
class SiteFrame:
    """What every page shares: the site's name, where the stylesheet and the root are, whether
    there is a feed, and the published address (for canonical links; "" when unknown)."""

    title_override: str = ""
    base_url: str = ""
    feed: bool = False
    stylesheet: str = STYLESHEET
    root: str = ""

    def site_title(self, lang: str) -> str:
        """The site's name: the configured one, else the catalogue's in `lang`."""
        return self.title_override or word(SITE_WORDS, "site_title", language(lang))


@dataclass(frozen=True, slots=True)
class ThemeEntry:
    """A theme as the front page and the theme pages list it."""

    key: str
    name: str
    href: str
    count: int
    count_text: str
    description: str


def count_text(count: int, lang: str = SITE_LANGUAGE) -> str:
    """ "1 käytäntö", "12 käytäntöä"."""
    return word(SITE_WORDS, "count_one" if count == 1 else "count_many", lang, count=count)


def _words(lang: str) -> Callable[..., str]:
    def words(key: str, **params: Any) -> str:
        return word(SITE_WORDS, key, lang, **params)

    return words


def _by_words(lang: str, key: str, **params: Any) -> str:
    return word(SITE_WORDS, key, language(lang), **params)


def _context(lang: str, frame: SiteFrame, **values: Any) -> dict[str, Any]:
    return {"lang": lang, "frame": frame, "t": _words(lang), "words": _by_words, **values}


def newest_first(views: Sequence[PracticeView]) -> list[PracticeView]:
    """Practices by publication, the newest first (and by id, the newest, within a day)."""
    return sorted(views, key=lambda view: (view.published, view.id), reverse=True)


def theme_entries(views: Sequence[PracticeView]) -> list[ThemeEntry]:
    """The five themes in their fixed order, with how many practices each has."""
    counts = {key: 0 for key in THEME_KEYS}
    for view in views:
        if view.theme in counts:
            counts[view.theme] += 1
    return [
        ThemeEntry(
            key=key,
            name=theme_name(key, SITE_LANGUAGE),
            href=THEME_FILES[key],
            count=counts[key],
            count_text=count_text(counts[key]),
            description=word(THEME_DESCRIPTIONS, key, SITE_LANGUAGE),
        )
        for key in THEME_KEYS
    ]


def practice_page(
    view: PracticeView,
    frame: SiteFrame,
    *,
    photo_src: Callable[[Derivative], str] | None = None,
) -> str:
    """The page of one practice, in its language. `photo_src` gives a derivative's address
    (default: its file in the export, relative to the page); with one given, as the console's
    preview does, only the web derivative is used."""
    return render(
        "site/practice.html",
        **_context(
            view.lang,
            frame,
            practice=view,
            theme_href=THEME_FILES.get(view.theme or ""),
            photo_src=photo_src or (lambda derivative: frame.root + derivative.file),
            photo_srcset=photo_src is None,
        ),
    )


def front_page(views: Sequence[PracticeView], frame: SiteFrame) -> str:
    """The front page: the themes with their counts, and the newest practices."""
    return render(
        "site/front.html",
        **_context(
            SITE_LANGUAGE,
            frame,
            themes=theme_entries(views),
            latest=newest_first(views)[:FRONT_PAGE_LATEST],
        ),
    )


def theme_page(theme: ThemeEntry, views: Sequence[PracticeView], frame: SiteFrame) -> str:
    """One theme's page: its practices, the newest first, and the other themes."""
    items = newest_first([view for view in views if view.theme == theme.key])
    return render(
        "site/theme.html",
        **_context(SITE_LANGUAGE, frame, theme=theme, items=items, themes=theme_entries(views)),
    )


@dataclass(frozen=True, slots=True)
class SitePage:
    """A file of the site: its name, what it is made from (None: always made), how to make it."""

    name: str
    fingerprint: str | None
    render: Callable[[], str]


@cache
def rendering_version() -> str:
    """A digest of everything but the practice that shapes a page: the templates, the words
    and the code that renders them. A change to any of them makes every page again."""
    digest = hashlib.sha256()
    for module in (sys.modules[__name__], practice_view, templating, markdown_text, dates):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(str(catalogue.__file__)).with_name("words.toml").read_bytes())
    environment = templating.markup_environment()
    assert environment.loader is not None
    for name in sorted(environment.loader.list_templates()):
        digest.update(environment.loader.get_source(environment, name)[0].encode())
    return digest.hexdigest()


def fingerprint(*made_from: object) -> str:
    """A digest of what a page is made from (the views and entries it shows, the frame) and
    of the rendering version: the same digest, the same page."""
    digest = hashlib.sha256(rendering_version().encode())
    for part in made_from:
        digest.update(repr(part).encode())
    return digest.hexdigest()


def site_pages(views: Sequence[PracticeView], frame: SiteFrame) -> Iterator[SitePage]:
    """Every page and the stylesheet, each with the fingerprint of what it shows, so an
    unchanged page need not be rendered again (`review.output`)."""
    yield SitePage(STYLESHEET, None, lambda: stylesheet(f"site/{STYLESHEET}"))
    themes = theme_entries(views)
    latest = newest_first(views)[:FRONT_PAGE_LATEST]
    front = fingerprint(frame, themes, latest)
    yield SitePage("index.html", front, lambda: front_page(views, frame))
    for theme in themes:
        items = [view for view in views if view.theme == theme.key]
        made_from = fingerprint(frame, themes, theme, items)
        yield SitePage(theme.href, made_from, partial(theme_page, theme, views, frame))
    for view in views:
        yield SitePage(view.href, fingerprint(frame, view), partial(practice_page, view, frame))
