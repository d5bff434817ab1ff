"""What a submitter was told: the reference number, and whether the acknowledgement went out or
why none was sent, for `review show` (and the console) in the editor's language.

The facts come from the draft (`reply_address`, `acknowledgement`, set when the draft was made)
and from its acknowledgement in the outbox (queued, sent or failed, and when).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from core.answering import QUEUED, reference_number
from core.catalogue import TABLES, word
from core.vocabulary import MailKind, MailStatus
from review.dates import format_time
from store import outbox
from store.models import PracticeDraft, utcnow

REFUSALS = TABLES["answer_refusals"]
WORDS = TABLES["answers"]


def answer_facts(session: Session, draft: PracticeDraft) -> dict[str, Any]:
    """The acknowledgement of a draft as `review show --json` prints it under "acknowledgement":
    {"reference", "decision", "detail", "reply_address", "status", "message_id", "sent_at",
    "last_error"}; `decision` is "queued" or why none was sent; `status` is the mail's, if any.
    """
    mail = outbox.for_draft(session, draft.id, MailKind.ACKNOWLEDGEMENT)
    created = draft.created_at or utcnow()
    return {
        "reference": reference_number(draft.id, created.year),
        "decision": draft.acknowledgement,
        "detail": draft.acknowledgement_detail,
        "reply_address": draft.reply_address,
        "status": mail.status if mail else None,
        "attempts": mail.attempts if mail else 0,
        "message_id": mail.message_id if mail else None,
        "sent_at": mail.sent_at.isoformat() if mail and mail.sent_at else None,
        "last_error": mail.last_error if mail else "",
    }


def _state(facts: dict[str, Any], lang: str) -> str:
    status = facts["status"]
    if facts["decision"] and facts["decision"] != QUEUED:
        reason = word(REFUSALS, facts["decision"], lang)
        detail = f" ({facts['detail']})" if facts["detail"] else ""
        return f"{word(WORDS, 'not_sent', lang)}: {reason}{detail}"
    if status is None:
        return word(WORDS, "none_yet", lang)
    if status == MailStatus.SENT.value:
        when = format_time(datetime.fromisoformat(facts["sent_at"]), lang)
        return word(WORDS, "sent", lang, when=when, address=facts["reply_address"])
    if status == MailStatus.QUEUED.value and facts["attempts"]:
        return f"{word(WORDS, 'retrying', lang)}: {facts['last_error']}"
    if status == MailStatus.FAILED.value:
        return f"{word(WORDS, 'failed', lang)}: {facts['last_error']}"
    return word(WORDS, str(status), lang)


def answer_text(facts: dict[str, Any], lang: str = "fi") -> str:
    """The acknowledgement as `review show` ends with it."""
    return "\n".join(
        [
            f"{word(WORDS, 'heading', lang)}:",
            f"  {word(WORDS, 'reference', lang)}: {facts['reference']}",
            f"  {word(WORDS, 'state', lang)}: {_state(facts, lang)}",
        ]
    )
