"""The photo-too-small rule: the main photo is smaller than the website's photo size."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext, image_ref


class PhotoTooSmall:
    """Photos are never enlarged, so a small one looks poor on the site; ask for a bigger one."""

    name = "photo_too_small"
    description = "The main photo's longer side is below the configured web size."

    def check(self, context: RuleContext) -> Flag | None:
        main = context.photos.main
        if main is None:
            return None
        longer_side = max(main.width, main.height)
        if longer_side >= context.web_size:
            return None
        return Flag(
            FlagCode.PHOTO_TOO_SMALL,
            {
                "longer_side": longer_side,
                "target": context.web_size,
                "image": image_ref(main),
                "width": main.width,
                "height": main.height,
            },
        )
