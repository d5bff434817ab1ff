"""The photo-rejected rule: at least one image could not be used, with the reason for each."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.photos.result import PhotoRole
from ingest.rules.base import Flag, RuleContext, image_ref


class PhotoRejected:
    """A rejected image may be the photo the sender meant; the editor sees which and why."""

    name = "photo_rejected"
    description = "An image was rejected (too large, corrupt, unsupported or over a limit)."

    def check(self, context: RuleContext) -> Flag | None:
        rejected = context.photos.with_role(PhotoRole.REJECTED)
        if not rejected:
            return None
        images = [{"image": image_ref(p), "reason": p.reject_reason} for p in rejected]
        return Flag(FlagCode.PHOTO_REJECTED, {"count": len(rejected), "images": images})
