"""The document-skipped rule: an attached document was not read, with the reason for each."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class DocumentSkipped:
    """The answers may be in the document we could not read: the editor opens it by hand."""

    name = "document_skipped"
    description = "An attached document was not read (too large, a bomb, broken or too slow)."

    def check(self, context: RuleContext) -> Flag | None:
        skipped = context.understanding.skipped_documents
        if not skipped:
            return None
        documents = [{"name": name, "problem": problem.value} for name, problem in skipped]
        return Flag(FlagCode.DOCUMENT_SKIPPED, {"documents": documents})
