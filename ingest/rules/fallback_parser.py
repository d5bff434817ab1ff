"""The fallback-parser rule: the primary MIME parser failed and a simpler one was used."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext

PRIMARY_PARSER = "mail-parser"


class FallbackParser:
    """The fallback keeps the message but may miss parts; the editor checks for lost content."""

    name = "fallback_parser"
    description = "The message was parsed with the fallback parser instead of mail-parser."

    def check(self, context: RuleContext) -> Flag | None:
        if context.message.parser == PRIMARY_PARSER:
            return None
        return Flag(FlagCode.FALLBACK_PARSER, {"parser": context.message.parser})
