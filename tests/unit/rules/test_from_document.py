"""The from-document rule."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.from_document import FromDocument

Build = Callable[..., RuleContext]


def test_flags_text_from_a_document(context: Build) -> None:
    flag = FromDocument().check(context(understanding={"source_document": "kaytanto.docx"}))
    assert flag is not None
    assert flag.code is FlagCode.FROM_DOCUMENT
    assert flag.params == {"document": "kaytanto.docx"}


def test_passes_text_from_the_email(context: Build) -> None:
    assert FromDocument().check(context()) is None
