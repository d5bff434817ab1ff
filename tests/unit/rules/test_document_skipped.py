"""The document-skipped rule."""

from __future__ import annotations

from core.catalogue import flag_detail, flag_message
from core.vocabulary import DocumentProblem, FlagCode
from ingest.rules.document_skipped import DocumentSkipped
from tests.unit.rules.conftest import BuildContext


def test_flags_each_skipped_document_with_its_reason(context: BuildContext) -> None:
    skipped = (
        ("kaytanto.odt", DocumentProblem.TOO_MANY_ELEMENTS),
        ("liite.pdf", DocumentProblem.UNREADABLE),
    )
    flag = DocumentSkipped().check(context(understanding={"skipped_documents": skipped}))
    assert flag is not None
    assert flag.code is FlagCode.DOCUMENT_SKIPPED
    assert flag.params == {
        "documents": [
            {"name": "kaytanto.odt", "problem": "too_many_elements"},
            {"name": "liite.pdf", "problem": "unreadable"},
        ]
    }


def test_the_editor_reads_which_document_and_why_in_words(context: BuildContext) -> None:
    skipped = (("kaytanto.odt", DocumentProblem.TOO_MANY_ELEMENTS),)
    flag = DocumentSkipped().check(context(understanding={"skipped_documents": skipped}))
    assert flag is not None
    assert "avaa liite" in flag_message(flag.code, flag.params, "fi")
    assert flag_detail(flag.code, flag.params, "fi") == "kaytanto.odt: liian monta rakenneosaa"
    assert flag_detail(flag.code, flag.params, "en") == "kaytanto.odt: too many elements"


def test_passes_when_every_document_was_read(context: BuildContext) -> None:
    assert DocumentSkipped().check(context()) is None
