"""The suggested-theme rule: the theme was guessed from keywords, not stated by the sender."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class ThemeSuggested:
    """A keyword guess is often right but never certain; the editor confirms it."""

    name = "theme_suggested"
    description = "The theme was suggested from keywords because the sender did not name one."

    def check(self, context: RuleContext) -> Flag | None:
        understanding = context.understanding
        if understanding.theme is None or not understanding.theme_suggested:
            return None
        return Flag(
            FlagCode.THEME_SUGGESTED,
            {"theme": understanding.theme, "reason": understanding.theme_reason},
        )
