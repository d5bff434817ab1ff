"""The no-photo rule: the draft has no main photo to show beside the practice."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


class NoPhoto:
    """Every published practice shows one photo; without one the editor must ask for it."""

    name = "no_photo"
    description = "No usable photo was found, so the draft has no main photo."

    def check(self, context: RuleContext) -> Flag | None:
        if context.photos.main is not None:
            return None
        return Flag(FlagCode.NO_PHOTO)
