"""The missing-theme rule: no theme was stated and none could be suggested."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class ThemeMissing:
    """Every published practice needs one of the five themes; the editor must pick it."""

    name = "theme_missing"
    description = "No theme was stated or suggested; the editor must choose one."

    def check(self, context: RuleContext) -> Flag | None:
        if context.understanding.theme is not None:
            return None
        return Flag(FlagCode.THEME_MISSING)
