"""Mail that tests send: a plain Finnish submission with the four answers, unique each time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid


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
