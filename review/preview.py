"""The practice as the website will show it, made by the export's own page template.

The console's preview calls `preview_page` with the draft and a way to turn its main photo into a
URL the console serves; the page itself is `review.export.html_page`, the function the HTML
export writes each practice with, so what the editor previews is what gets published.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from review.export import html_page, main_photo
from store.models import Photo, PracticeDraft


def preview_page(draft: PracticeDraft, photo_url: Callable[[Photo], str]) -> str:
    """The export's HTML page of `draft`, its main photo at `photo_url(photo)`."""
    photo = main_photo(draft)
    record: dict[str, Any] | None = None
    if photo is not None:
        record = {
            "path": photo_url(photo),
            "width": photo.web_width,
            "height": photo.web_height,
            "credit": draft.photo_credit or photo.credit,
        }
    return html_page(draft, record)
