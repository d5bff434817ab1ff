"""The texts of our mail: Jinja2 templates an operator can replace, one file per kind and language.

A template is plain text: a `Subject:` line, an empty line, then the body. The shipped ones live
beside this module (`templates/acknowledgement.fi.txt`, ...); a file of the same name in
`[outbox] templates_dir` replaces one. Templates run in Jinja2's sandbox with undefined names
refused, so a typo in an operator's template fails loudly (`practices outbox preview` shows it
before any mail goes out) instead of sending a hole.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from core.errors import PracticesError

SHIPPED = Path(__file__).with_name("templates")
# Kinds written for operators only: their one language.
OPERATOR_LANGUAGE = "en"


class TemplateProblem(PracticesError):
    """Raised when a template is missing, malformed or refers to a name it is not given."""


@dataclass(frozen=True, slots=True)
class Text:
    """A rendered mail: its subject and body."""

    subject: str
    body: str


class Templates:
    """The templates in effect: the operator's directory first, then the shipped ones."""

    def __init__(self, templates_dir: str = "") -> None:
        loaders = [FileSystemLoader(templates_dir)] if templates_dir else []
        self.environment = SandboxedEnvironment(
            loader=ChoiceLoader([*loaders, FileSystemLoader(SHIPPED)]),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=True,
            trim_blocks=False,
        )

    def name(self, kind: str, language: str) -> str:
        """The file name of a kind's template in `language` (the shipped fallback: Finnish)."""
        for candidate in (language, "fi", OPERATOR_LANGUAGE):
            name = f"{kind}.{candidate}.txt"
            if name in self.environment.list_templates():
                return name
        raise TemplateProblem(f"no template for {kind!r} in {SHIPPED} or templates_dir")

    def render(self, kind: str, language: str, context: Mapping[str, Any]) -> Text:
        """Fill the template of `kind` in `language` with `context`."""
        name = self.name(kind, language)
        try:
            text = self.environment.get_template(name).render(**context)
        except TemplateError as exc:
            raise TemplateProblem(f"template {name}: {exc}") from exc
        return _split(name, text)


def _split(name: str, text: str) -> Text:
    head, blank, body = text.replace("\r\n", "\n").partition("\n\n")
    if not blank or not head.startswith("Subject:"):
        raise TemplateProblem(
            f"template {name}: must begin with a 'Subject: ...' line and an empty line"
        )
    subject = " ".join(head.removeprefix("Subject:").split())
    if not subject:
        raise TemplateProblem(f"template {name}: the subject is empty")
    return Text(subject=subject, body=body.strip("\n") + "\n")
