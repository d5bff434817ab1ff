"""Templates of the console: one Jinja2 environment, autoescaping everything, words from the
catalogue.

Every word an editor reads on a page comes from `core.catalogue` (`t("key")` for the console's
own words in the `[console]` table; status, flag, theme, field and question names through their
functions), in the editor's language, so no template holds Finnish, Swedish or English text of
its own (a test walks the templates for that). Submitted text passes `visible` before it is
escaped: a bidi override or a control character shows as a mark instead of acting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from core import catalogue
from core.display import visible
from review.dates import format_date, format_time

TEMPLATES = Path(__file__).with_name("templates")
CONSOLE = catalogue.TABLES["console"]
# The catalogue's words a template calls by name (`status_name(key)`), each bound to the
# page's language by `page_globals`.
CATALOGUE_WORDS: dict[str, Callable[..., str]] = {
    "status_name": catalogue.status_name,
    "theme_name": catalogue.theme_name,
    "flag_name": catalogue.flag_name,
    "flag_message": catalogue.flag_message,
    "flag_detail": catalogue.flag_detail,
    "severity_name": catalogue.severity_name,
    "field_name": catalogue.field_name,
    "section_heading": catalogue.section_heading,
    "action_name": catalogue.action_name,
    "theme_reason": catalogue.theme_reason_text,
    "photo_role": partial(catalogue.word, catalogue.PHOTO_ROLES),
    "language_name": partial(catalogue.word, catalogue.LANGUAGE_NAMES),
}


def console_word(key: str, lang: str, **params: Any) -> str:
    """One of the console's own words (`[console]` in words.toml)."""
    return catalogue.word(CONSOLE, key, lang, **params)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["visible"] = lambda text: visible(str(text or ""))
    env.filters["oneline"] = lambda text: visible(str(text or ""), multiline=False)
    env.filters["cap"] = lambda text: str(text)[:1].upper() + str(text)[1:]
    return env


ENV = _environment()


def base_path(request: Request) -> str:
    """The path prefix the console is served under (uvicorn's root_path, from `[web]`)."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def page_globals(request: Request, lang: str) -> dict[str, Any]:
    """What every template may call: words in `lang`, links under the base path, dates."""

    def t(key: str, **params: Any) -> str:
        return console_word(key, lang, **params)

    def href(path: str) -> str:
        return base_path(request) + path

    def when(moment: datetime | None) -> str:
        return format_time(moment, lang)

    def day(moment: datetime | None) -> str:
        return format_date(moment, lang)

    return {
        "lang": lang,
        "t": t,
        "href": href,
        "when": when,
        "day": day,
        "note_text": lambda note: catalogue.note_text(
            str(note.get("code", "")), note.get("params", {}), lang
        ),
        **{name: partial(words, lang=lang) for name, words in CATALOGUE_WORDS.items()},
    }


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    *,
    status_code: int = 200,
    lang: str = "fi",
) -> HTMLResponse:
    """`template` rendered with `context`, the page globals and the logged-in editor if any."""
    values = {
        **page_globals(request, lang),
        "request": request,
        "editor": getattr(request.state, "editor", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        **context,
    }
    html = ENV.get_template(template).render(values)
    return HTMLResponse(html, status_code=status_code)
