"""The location-removed rule: a photo carried its GPS position, which we did not publish."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext, image_ref


class LocationRemoved:
    """Tells the editor that private location data was in the original and is gone from the copy.

    The original stays inside the archived raw message, so the editor knows not to forward it.
    """

    name = "location_removed"
    description = "A photo's original contained GPS location data; the derivatives have none."

    def check(self, context: RuleContext) -> Flag | None:
        located = [p for p in context.photos.photos if p.had_location]
        if not located:
            return None
        return Flag(FlagCode.LOCATION_REMOVED, {"images": [image_ref(p) for p in located]})
