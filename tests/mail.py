"""Mail that tests send: a plain Finnish submission with the four answers, unique each time; a
bare text message to hang parts on; and the same kind of message as the parser hands it on, for
tests that start after parsing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any

from ingest.message import ParsedMessage


def submission(
    subject: str = "Selkokielinen lomake",
    body: str | None = None,
    sender: str = "Maija Virtanen <maija.virtanen@vm.fi>",
    **headers: str,
) -> bytes:
    """A plain Finnish submission with a unique Message-ID."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "avoinhallinto@vm.fi"
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime(2026, 11, 2, 9, 30, tzinfo=UTC))
    message["Message-ID"] = make_msgid(idstring=uuid.uuid4().hex, domain="vm.fi")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(
        body
        or (
            "Hei,\n\nMitä tehtiin ja miksi?\nUudistimme lomakkeen selkokieliseksi, koska "
            "asiakkaat eivät ymmärtäneet sitä.\n\nMitä saatiin aikaiseksi?\nYhteydenotot "
            "vähenivät puoleen.\n\nMitä jatkossa?\nSeuraavaksi uudistamme ohjeet.\n\n"
            "Lisätietoa\nMaija Virtanen, maija.virtanen@vm.fi\n\nYstävällisin terveisin\n"
            "Maija Virtanen\nValtiovarainministeriö\n"
        )
    )
    return message.as_bytes()


def text_message(body: str) -> EmailMessage:
    """A message of one plain-text part and no headers, for tests that add the parts they test."""
    message = EmailMessage()
    message.set_content(body)
    return message


def parsed_message(**fields: Any) -> ParsedMessage:
    """A parsed plain-text message from a public-sector sender, empty but for `fields`."""
    plain: dict[str, Any] = {
        "message_id": "<1@vm.fi>",
        "subject": "Hyvä käytäntö",
        "from_name": "",
        "from_address": "maija.virtanen@vm.fi",
        "date": None,
        "content_type": "text/plain",
        "headers": (),
        "text_plain": "",
        "text_html": "",
    }
    return ParsedMessage(**{**plain, **fields})
