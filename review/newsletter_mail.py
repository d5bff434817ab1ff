"""The newsletter as a ready-to-send message: a multipart .eml, plus its HTML and text alone.

The .eml is `multipart/alternative` of the plain text and the HTML (`multipart/related` with
the photos when they are embedded by Content-ID), From and Subject set, To when configured,
`List-Unsubscribe` when an unsubscribe address is, and `X-Unsent: 1`, so Outlook opens it as a
message ready to send rather than as one received. Its Message-ID is made from the content, so
rendering an unchanged edition again gives the same message. Files are written with
`store.published` (never through a planted symlink).
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr
from pathlib import Path

from sqlalchemy.orm import Session

from core.config import Settings
from core.errors import ConfigError
from review.newsletter import Newsletter, build_newsletter
from store.files import BlobStore
from store.published import publish_file


def newsletter_sender(settings: Settings) -> Address:
    """From: `[publishing] newsletter_from`, else `[smtp]`'s address; ConfigError if neither."""
    configured = settings.publishing.newsletter_from
    if configured:
        name, address = parseaddr(configured)
        local, _at, domain = address.partition("@")
        return Address(name or settings.smtp.from_name, local, domain)
    if settings.smtp.from_address:
        return settings.smtp.sender
    raise ConfigError(
        settings.source or "(configuration)",
        "publishing.newsletter_from",
        "is not set (nor smtp.from_address); the newsletter needs a From: address",
    )


def newsletter_message(
    newsletter: Newsletter,
    blobs: BlobStore,
    *,
    sender: Address,
    to: str,
    unsubscribe_url: str,
    now: datetime,
) -> EmailMessage:
    """The multipart message of a rendered newsletter."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = newsletter.subject
    message["From"] = sender
    if to:
        message["To"] = to
    message["Date"] = format_datetime(now)
    digest = hashlib.sha256((newsletter.html + newsletter.text).encode()).hexdigest()[:16]
    message["Message-ID"] = f"<uutiskirje-{newsletter.month}-{digest}@{sender.domain}>"
    message["Content-Language"] = "fi"
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["X-Unsent"] = "1"
    message.set_content(newsletter.text, subtype="plain", cte="quoted-printable")
    message.add_alternative(newsletter.html, subtype="html", cte="quoted-printable")
    if newsletter.images:
        html_part = next(
            part for part in message.iter_parts() if part.get_content_subtype() == "html"
        )
        assert isinstance(html_part, EmailMessage)
        for image in newsletter.images:
            html_part.add_related(
                blobs.read(image.blob),
                "image",
                "jpeg",
                cid=f"<{image.cid}>",
                filename=image.filename,
                disposition="inline",
            )
    return message


def compose(
    session: Session, blobs: BlobStore, settings: Settings, month: str, now: datetime
) -> tuple[Newsletter, EmailMessage]:
    """The edition of `month` rendered and its message made, as `[publishing]` configures;
    a ConfigError names the key that is missing (base_url, a From address)."""
    sender = newsletter_sender(settings)
    publishing = settings.publishing
    newsletter = build_newsletter(
        session, blobs, month, publishing, config_source=settings.source or "(configuration)"
    )
    message = newsletter_message(
        newsletter,
        blobs,
        sender=sender,
        to=publishing.newsletter_to,
        unsubscribe_url=publishing.unsubscribe_url,
        now=now,
    )
    return newsletter, message


def file_names(month: str) -> tuple[str, str, str]:
    """`uutiskirje-YYYY-MM` .eml, .html and .txt."""
    stem = f"uutiskirje-{month}"
    return f"{stem}.eml", f"{stem}.html", f"{stem}.txt"


def write_newsletter(newsletter: Newsletter, message: EmailMessage, out_dir: Path) -> list[Path]:
    """Write the .eml, the HTML alone (photos by URL) and the text; returns their paths."""
    eml, html, text = file_names(newsletter.month)
    contents = (
        (eml, message.as_bytes()),
        (html, newsletter.html_alone.encode("utf-8")),
        (text, newsletter.text.encode("utf-8")),
    )
    for name, data in contents:
        publish_file(out_dir, name, data)
    return [out_dir / name for name, _data in contents]
