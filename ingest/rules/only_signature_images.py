"""The only-signature-images rule: the message had images, but all were logos or signatures."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.photos.result import PhotoRole
from ingest.rules.base import Flag, RuleContext, image_ref


class OnlySignatureImages:
    """The sender may think a photo was sent; the editor checks the logos and asks for one."""

    name = "only_signature_images"
    description = "No main photo, and at least one image was classified as a signature or logo."

    def check(self, context: RuleContext) -> Flag | None:
        if context.photos.main is not None:
            return None
        signatures = context.photos.with_role(PhotoRole.SIGNATURE)
        if not signatures:
            return None
        return Flag(FlagCode.ONLY_SIGNATURE_IMAGES, {"images": [image_ref(p) for p in signatures]})
