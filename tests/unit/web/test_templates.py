"""Every word the console's templates ask for is in the catalogue, in all three languages."""

from __future__ import annotations

import re

import pytest

from core.catalogue import LANGUAGES, TABLES
from practices.web.newsletter_pages import DONE as NEWSLETTER_DONE
from practices.web.pages import DONE_MESSAGES
from practices.web.rendering import TEMPLATES

CONSOLE = TABLES["console"]
LITERAL_KEYS = re.compile(r"""\bt\(\s*["']([a-z_]+)["']\s*[,)]""")
# Keys the templates build from a prefix and a value the code controls.
BUILT_KEYS = [
    *(f"done_{key}" for key in DONE_MESSAGES),
    *(f"newsletter_done_{key}" for key in NEWSLETTER_DONE),
    *(f"extra_{name}" for name in ("unmatched", "signature", "quoted")),
    *(f"{key}{end}" for key in ("error_csrf", "error_logged_out", "error_no_draft",
                                 "error_no_edition")
      for end in ("", "_title")),
    "login_refused",
    "login_throttled",
]  # fmt: skip


def _template_keys() -> list[str]:
    found = set()
    for path in TEMPLATES.glob("*.html"):
        found.update(LITERAL_KEYS.findall(path.read_text(encoding="utf-8")))
    return sorted(found)


@pytest.mark.parametrize("key", [*_template_keys(), *BUILT_KEYS])
def test_every_console_word_is_in_the_catalogue_in_every_language(key: str) -> None:
    assert key in CONSOLE, f"[console] {key} is missing from words.toml"
    assert set(CONSOLE[key]) == set(LANGUAGES)


def test_the_templates_ask_for_many_words_so_the_pattern_finds_them() -> None:
    assert len(_template_keys()) > 80
