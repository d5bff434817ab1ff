"""The from-document rule: the answers were read from an attached document, not the email."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class FromDocument:
    """Text extracted from Word, PDF or ODT loses layout; the editor checks it against the file."""

    name = "from_document"
    description = "The sections were taken from an attached document (docx, pdf, odt)."

    def check(self, context: RuleContext) -> Flag | None:
        document = context.understanding.source_document
        if not document:
            return None
        return Flag(FlagCode.FROM_DOCUMENT, {"document": document})
