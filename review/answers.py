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
from core.vocabulary import MailKind, MailStatus
from review.vocabulary import format_time
from store import outbox
from store.models import PracticeDraft, utcnow

# Why no acknowledgement was sent (core.answering.AckRefusal), in fi, sv, en.
REFUSALS: dict[str, tuple[str, str, str]] = {
    "mail_off": (
        "sähköpostin lähetys ei ole käytössä",
        "e-postutskick är avstängda",
        "mail out is switched off",
    ),
    "imported": (
        "viesti tuotiin tiedostosta (practices import)",
        "meddelandet importerades från fil (practices import)",
        "imported from a file (practices import)",
    ),
    "automatic": ("automaattinen viesti", "automatiskt meddelande", "automatic mail"),
    "bulk": ("joukkoviesti", "massutskick", "bulk mail"),
    "mailing_list": (
        "postituslistan viesti",
        "meddelande från en e-postlista",
        "mailing-list message",
    ),
    "null_return_path": (
        "palautusosoite puuttuu (toimitusilmoitus)",
        "returadress saknas (leveransrapport)",
        "empty return path (a delivery report)",
    ),
    "robot_address": (
        "lähettäjä on koneellinen osoite, kuten noreply",
        "avsändaren är en maskinell adress, t.ex. noreply",
        "the sender is a machine address such as noreply",
    ),
    "own_address": ("oma osoitteemme", "vår egen adress", "our own address"),
    "answers_our_mail": (
        "vastaus omaan automaattiseen viestiimme",
        "svar på vårt eget automatiska meddelande",
        "a reply to our own automatic mail",
    ),
    "unknown_domain": (
        "lähettäjän verkkotunnus ei ole tunnettu julkishallinnon verkkotunnus",
        "avsändarens domän är ingen känd domän inom den offentliga förvaltningen",
        "the sender's domain is not a known public-sector domain",
    ),
    "no_address": ("lähettäjän osoite puuttuu", "avsändarens adress saknas", "no sender address"),
    "daily_limit": (
        "lähettäjä sai jo kuittauksen viimeisen vuorokauden aikana",
        "avsändaren fick redan en bekräftelse under det senaste dygnet",
        "the sender already got one in the last 24 hours",
    ),
}
# Labels and states, in fi, sv, en.
WORDS: dict[str, tuple[str, str, str]] = {
    "heading": ("Kuittaus lähettäjälle", "Bekräftelse till avsändaren", "Acknowledgement"),
    "reference": ("Viitenumero", "Referensnummer", "Reference"),
    "state": ("Tila", "Status", "State"),
    "not_sent": ("ei lähetetty", "inte skickad", "not sent"),
    "queued": ("jonossa", "i kö", "queued"),
    "retrying": ("odottaa uutta yritystä", "väntar på nytt försök", "waiting to retry"),
    "sending": ("lähetetään", "skickas", "sending"),
    "sent": ("lähetetty", "skickad", "sent"),
    "failed": ("lähetys epäonnistui", "kunde inte skickas", "failed"),
    "to": ("osoitteeseen", "till", "to"),
    "none_yet": ("ei vielä päätetty", "inte avgjort än", "not decided yet"),
}
_INDEX = {"fi": 0, "sv": 1, "en": 2}


def _word(table: dict[str, tuple[str, str, str]], key: str, lang: str) -> str:
    entry = table.get(key)
    return entry[_INDEX.get(lang, 0)] if entry else key


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
        reason = _word(REFUSALS, facts["decision"], lang)
        detail = f" ({facts['detail']})" if facts["detail"] else ""
        return f"{_word(WORDS, 'not_sent', lang)}: {reason}{detail}"
    if status is None:
        return _word(WORDS, "none_yet", lang)
    if status == MailStatus.SENT.value:
        sent = format_time(datetime.fromisoformat(facts["sent_at"]), lang)
        to = _word(WORDS, "to", lang)
        return f"{_word(WORDS, 'sent', lang)} {sent} {to} {facts['reply_address']}"
    if status == MailStatus.QUEUED.value and facts["attempts"]:
        return f"{_word(WORDS, 'retrying', lang)}: {facts['last_error']}"
    if status == MailStatus.FAILED.value:
        return f"{_word(WORDS, 'failed', lang)}: {facts['last_error']}"
    return _word(WORDS, str(status), lang)


def answer_text(facts: dict[str, Any], lang: str = "fi") -> str:
    """The acknowledgement as `review show` ends with it."""
    return "\n".join(
        [
            f"{_word(WORDS, 'heading', lang)}:",
            f"  {_word(WORDS, 'reference', lang)}: {facts['reference']}",
            f"  {_word(WORDS, 'state', lang)}: {_state(facts, lang)}",
        ]
    )
