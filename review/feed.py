"""The Atom feed (RFC 4287) of approved practices: the newest first, each with its summary,
its photo and an absolute link to its page under `[publishing] base_url`.

An entry's id is a UUID made from the site's address and the practice's id, so it stays the
same when the title (and with it the page's name) is corrected. The feed has no time of its
own: its `updated` is its newest entry's, so an unchanged export writes the same bytes.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from core.catalogue import TABLES, word
from review.practice_view import SITE_WORDS, PracticeView
from review.site import SiteFrame, newest_first
from review.templating import render

FEED_FILE = "feed.xml"
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One practice in the feed, with its times and its HTML content."""

    view: PracticeView
    id: str
    published: str
    updated: str
    content: str


def rfc3339(moment: datetime | None) -> str:
    """`2025-05-20T09:30:00Z`: an Atom date, in UTC, to the second."""
    moment = (moment or _EPOCH).astimezone(UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


def entry_id(base_url: str, practice_id: int) -> str:
    """A permanent id for a practice's entry (a name-based UUID)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"{base_url}/practices/{practice_id}").urn


def _content(view: PracticeView, base_url: str) -> str:
    parts = []
    if view.photo is not None:
        web = view.photo.web
        parts.append(
            f'<p><img src="{html.escape(f"{base_url}/{web.file}")}" width="{web.width}" '
            f'height="{web.height}" alt="{html.escape(view.photo.alt)}"></p>'
        )
    parts.append(f"<p>{html.escape(view.summary)}</p>")
    parts.append(f'<p><a href="{html.escape(f"{base_url}/{view.href}")}">')
    parts.append(f"{html.escape(word(TABLES['newsletter'], 'read_more', view.lang))}</a></p>")
    return "".join(parts)


def atom_feed(views: Sequence[PracticeView], frame: SiteFrame, limit: int) -> str:
    """The feed of the `limit` newest practices; `frame.base_url` must be set."""
    base_url = frame.base_url.rstrip("/")
    if not base_url:
        raise ValueError("an Atom feed needs publishing.base_url")
    chosen = newest_first(views)[:limit]
    entries = [
        FeedEntry(
            view=view,
            id=entry_id(base_url, view.id),
            published=rfc3339(view.approved_at),
            updated=rfc3339(max(view.approved_at or _EPOCH, view.updated_at)),
            content=_content(view, base_url),
        )
        for view in chosen
    ]
    site_title = frame.site_title("fi")
    return render(
        "feed.xml",
        title=f"{word(SITE_WORDS, 'section_title', 'fi')} – {site_title}",
        subtitle=word(SITE_WORDS, "front_lead", "fi"),
        site_title=site_title,
        base_url=base_url,
        updated=max((entry.updated for entry in entries), default=rfc3339(None)),
        entries=entries,
    )
