"""The tables of mail out: the outbox, acknowledgements, published notices, the editors' digest,
and operators' alerts. The console address that mails link to is `[web] public_url`
(`core.config.web`).

What goes out at all depends on [smtp] (`core.config.smtp`): with no SMTP host nothing is queued.
Each kind of mail has its own switch here, so an operator can start with acknowledgements only.
"""

from __future__ import annotations

import re
from dataclasses import replace
from email.utils import parseaddr
from pathlib import Path

from core.config.fields import Where, setting, table
from core.vocabulary import LANGUAGES

NEWSLETTER_IMAGE_MODES = ("url", "cid")
_CLOCK_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")


@table
class OutboxSettings:
    """[outbox]: how queued mail is sent, retried and worded."""

    templates_dir: str = setting(
        default="", doc="templates here replace the shipped ones of the same name; empty: none"
    )
    first_retry_seconds: int = setting(
        default=60, at_least=1, doc="wait after the first temporary failure (then doubling)"
    )
    max_backoff_seconds: int = setting(
        default=3600, at_least=1, doc="longest wait between attempts of one mail"
    )
    sweep_seconds: int = setting(
        default=60, at_least=1, doc="the daemon looks for mail due at least this often"
    )

    def checked(self, where: Where) -> OutboxSettings:
        """An existing templates directory, resolved against the configuration file's."""
        if not self.templates_dir:
            return self
        directory = (where.base_dir / Path(self.templates_dir).expanduser()).resolve()
        if not directory.is_dir():
            raise where.fail("templates_dir", f"directory {str(directory)!r} does not exist")
        return replace(self, templates_dir=str(directory))


@table
class AcknowledgementSettings:
    """[acknowledgements]: the receipt a submitter gets when the draft is created."""

    enabled: bool = setting(default=True, doc="acknowledge submissions (when [smtp] is set)")
    per_sender_per_day: int = setting(
        default=1, at_least=1, doc="acknowledgements one address gets in 24 hours at most"
    )


@table
class PublishingSettings:
    """[publishing]: where approved practices appear, how the site and the newsletter present
    them, and whether the submitter is told."""

    base_url: str = setting(
        default="",
        doc="address of the exported site; a practice's page is base_url/<id>-<slug>.html",
    )
    notify_submitter: bool = setting(
        default=False, doc="tell the submitter, with the link, when a practice is approved"
    )
    site_title: str = setting(
        default="", doc='the site\'s name on every page; empty: "Avoin hallinto" in each language'
    )
    feed_entries: int = setting(
        default=50, at_least=1, doc="newest practices in the Atom feed (feed.xml)"
    )
    newsletter_images: str = setting(
        default="url",
        choices=NEWSLETTER_IMAGE_MODES,
        doc="url: photos load from base_url/kuvat/ | cid: embedded in the .eml",
    )
    newsletter_from: str = setting(
        default="", doc="From: of the newsletter; empty: smtp.from_address and from_name"
    )
    newsletter_to: str = setting(
        default="", doc="To: of the newsletter (the subscribers' list); empty: no To:"
    )
    unsubscribe_url: str = setting(
        default="", doc="where a subscriber unsubscribes; in the footer and List-Unsubscribe"
    )

    def checked(self, where: Where) -> PublishingSettings:
        """A notice needs the address it links to; addresses must be web addresses."""
        for name in ("base_url", "unsubscribe_url"):
            value = getattr(self, name)
            if value and not value.startswith(("https://", "http://")):
                raise where.fail(name, "must start with https:// (or http://)")
        if self.notify_submitter and not self.base_url:
            raise where.fail("notify_submitter", "needs publishing.base_url for the link")
        for name in ("newsletter_from", "newsletter_to"):
            value = getattr(self, name)
            if value and "@" not in parseaddr(value)[1]:
                raise where.fail(name, f"is not an e-mail address: {value!r}")
        return self

    def page_url(self, page_name: str) -> str:
        """The published page of a practice named `page_name` (`<id>-<slug>`)."""
        return f"{self.base_url.rstrip('/')}/{page_name}.html"


@table
class DigestSettings:
    """[digest]: the editors' daily mail of new drafts and drafts waiting too long."""

    editors: tuple[str, ...] = setting(
        default=(), case="lower", doc="addresses of the editors; empty: no digest"
    )
    time: str = setting(default="08:00", doc="when it is sent each day, HH:MM in Finnish time")
    waiting_days: int = setting(
        default=7, at_least=1, doc="a draft not reviewed in this many days is listed as waiting"
    )
    language: str = setting(default="fi", choices=LANGUAGES, doc="fi | sv | en")

    def checked(self, where: Where) -> DigestSettings:
        if not _CLOCK_TIME.fullmatch(self.time):
            raise where.fail("time", f"must be HH:MM (00:00-23:59), got {self.time!r}")
        return self

    @property
    def hour_minute(self) -> tuple[int, int]:
        hour, minute = self.time.split(":")
        return int(hour), int(minute)


@table
class AlertSettings:
    """[alerts]: the operators' mail when health turns bad, and when it recovers."""

    operators: tuple[str, ...] = setting(
        default=(), case="lower", doc="addresses of the operators; empty: no alerts"
    )
