"""The practice as the website will show it, for the console's preview.

`preview_page(draft, photo_url)` is the console's one entry point (its name and arguments stay
stable): it renders the export's own practice page (`review.site.practice_page`, the same
template and stylesheet), so what an editor previews is what gets published. The console serves
the main photo itself (`photo_url(photo)` gives its address) and the site's stylesheet, whose
text is `site_stylesheet()`, at `stylesheet_url`.
"""

from __future__ import annotations

from collections.abc import Callable

from review.practice_view import main_photo, practice_view
from review.site import STYLESHEET, SiteFrame, practice_page
from review.templating import stylesheet
from store.models import Photo, PracticeDraft


def preview_page(
    draft: PracticeDraft,
    photo_url: Callable[[Photo], str],
    *,
    stylesheet_url: str = STYLESHEET,
) -> str:
    """The export's HTML page of `draft` (approved or not), its main photo at `photo_url`."""
    photo = main_photo(draft)
    frame = SiteFrame(stylesheet=stylesheet_url)
    if photo is None:
        return practice_page(practice_view(draft), frame)
    chosen = photo
    return practice_page(practice_view(draft), frame, photo_src=lambda _file: photo_url(chosen))


def site_stylesheet() -> str:
    """The site's stylesheet, for the console to serve beside the preview."""
    return stylesheet(f"site/{STYLESHEET}")
