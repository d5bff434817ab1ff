"""From an outbox row to the bytes of a mail: headers of an automatic mail, text from a template.

Every mail we send says it is automatic, so that well-behaved software never answers it:
`Auto-Submitted: auto-replied` on answers to a submission (RFC 3834 §5), `auto-generated` on the
digest and alerts, `X-Auto-Response-Suppress: All` for Exchange, and our loop header, which our
own ingest recognises (`ingest.understand.classify`). An answer threads under the submission
(In-Reply-To, References) and its subject is the submission's with a prefix. Date and
Message-ID come from the row, so a mail sent again after a crash is the same mail.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from typing import Any

from core.config import Settings
from core.vocabulary import MailKind
from practices.mailout.templates import Templates, Text
from review.dates import format_time
from store.models import OutboxMail

LOOP_HEADER = "X-Practices-Loop"
# Message-IDs are long single words: folded at 78 characters, Python encodes them as RFC 2047
# words, which no mail client matches. RFC 5322 allows 998; References is kept shorter.
WIRE = SMTP.clone(max_line_length=998)
REFERENCES_CHARS = 900
ANSWERS = frozenset({MailKind.ACKNOWLEDGEMENT.value, MailKind.PUBLISHED.value})


def _angle(message_id: str) -> str:
    return f"<{message_id.strip('<>')}>"


def compose(row: OutboxMail, text: Text, settings: Settings) -> bytes:
    """The mail of `row` as it goes on the wire (CRLF line ends, 7-bit clean)."""
    smtp = settings.smtp
    message = EmailMessage(policy=WIRE)
    message["From"] = smtp.sender
    message["To"] = ", ".join(row.recipients)
    if smtp.reply_to:
        message["Reply-To"] = smtp.reply_to
    message["Subject"] = text.subject
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = _angle(row.message_id)
    context: Mapping[str, Any] = row.context
    if context.get("in_reply_to"):
        message["In-Reply-To"] = _angle(str(context["in_reply_to"]))
        references = [_angle(str(ref)) for ref in context.get("references", []) if ref]
        message["References"] = _trimmed(references)
    answer = row.kind in ANSWERS
    message["Auto-Submitted"] = "auto-replied" if answer else "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message[LOOP_HEADER] = f"{row.kind} {context.get('reference', row.id)}"
    message.set_content(text.body, charset="utf-8", cte="quoted-printable")
    if row.language:  # after set_content, which replaces every Content-* header
        message["Content-Language"] = row.language
    return message.as_bytes()


def _trimmed(references: list[str]) -> str:
    """References within REFERENCES_CHARS: the first (the thread's root) and the newest ones,
    as RFC 5322 §3.6.4 suggests when a thread grows long."""
    kept = list(dict.fromkeys(references))
    while len(kept) > 2 and len(" ".join(kept)) > REFERENCES_CHARS:
        del kept[1]
    return " ".join(kept)


def render(row: OutboxMail, templates: Templates) -> Text:
    """The template of the row's kind and language, filled with its context and the moments
    in it written as the mail's language writes them (`received`)."""
    language = row.language or "fi"
    context = dict(row.context)
    if context.get("received_at"):
        received = datetime.fromisoformat(str(context["received_at"]))
        context["received"] = format_time(received, language)
    return templates.render(row.kind, language, context)
