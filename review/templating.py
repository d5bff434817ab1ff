"""The Jinja2 environments of the published outputs (site, feed, newsletter), loaded once.

Templates live in `review/templates/`. HTML and XML templates autoescape, and every value they
print goes through `html_text` as well, which also writes `{` and `}` as character references:
no `{{` or `{%` from a submission (or anywhere else) can reach a file that a later template or
placeholder step would act on. Plain-text templates do not escape, but every value they print
has its `{{`, `}}`, `{%` and `%}` pulled apart (`defuse_placeholders`). Undefined names fail at
once (StrictUndefined) rather than printing nothing.

Filters:
- `lines(paragraph, links=False)`: a paragraph's lines as HTML joined by `<br>`; with `links`,
  approved http, https and mailto addresses become links (`review.markdown_text.html_line`);
- `date_text(day, lang)`: a date as editors and readers write it (1.5.2025; 2025-05-01 in English);
- `wrap(text or lines)` (plain text only): wrapped at 72 characters, words and URLs never cut.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date, datetime, time
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from review.dates import EDITORIAL_TZ, format_date
from review.markdown_text import defuse_placeholders, html_line, html_text

# Plain text is wrapped for readers of the text part (RFC 3676 suggests at most 78).
TEXT_WIDTH = 72


def _html_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    # Escaped right here (and braces too), so the environment must not escape it again.
    return Markup(html_text(str(value)))  # noqa: S704


def _text_value(value: Any) -> str:
    return "" if value is None else defuse_placeholders(str(value))


def _lines(paragraph: Sequence[str], links: bool = False) -> Markup:
    # html_line escapes every line; only the <br> and approved links are markup.
    return Markup("<br>\n".join(html_line(line, links=links) for line in paragraph))  # noqa: S704


def _wrap(value: str | Sequence[str], width: int = TEXT_WIDTH) -> str:
    # Lines of a paragraph keep their breaks; each is wrapped, URLs and words never cut.
    lines = [value] if isinstance(value, str) else list(value)
    return "\n".join(
        textwrap.fill(line, width, break_long_words=False, break_on_hyphens=False) or line
        for line in lines
    )


def _date_text(day: date, lang: str) -> str:
    return format_date(datetime.combine(day, time(12), tzinfo=EDITORIAL_TZ), lang)


def _environment(*, text: bool) -> Environment:
    environment = Environment(
        loader=PackageLoader("review", "templates"),
        # text/plain output: HTML escaping would show "&amp;" to readers; braces are defused.
        autoescape=False if text else select_autoescape(("html", "xml")),  # noqa: S701
        undefined=StrictUndefined,
        finalize=_text_value if text else _html_value,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["date_text"] = _date_text
    environment.filters["wrap" if text else "lines"] = _wrap if text else _lines
    return environment


@cache
def markup_environment() -> Environment:
    """The environment of HTML and XML templates."""
    return _environment(text=False)


@cache
def text_environment() -> Environment:
    """The environment of plain-text templates (the newsletter's text part)."""
    return _environment(text=True)


def render(template: str, /, **context: Any) -> str:
    """Render `template` (HTML and XML ones escaped, `.txt` ones as plain text)."""
    environment = text_environment() if template.endswith(".txt") else markup_environment()
    return environment.get_template(template).render(**context)


def stylesheet(name: str) -> str:
    """A stylesheet shipped beside the templates, as it is (`site/style.css`)."""
    loader = markup_environment().loader
    assert loader is not None
    source, _filename, _uptodate = loader.get_source(markup_environment(), name)
    return source
