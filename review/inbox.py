"""How inbound messages look to editors (`practices messages`): outcome and reason in words.

The stored reason of an ignored message is "<IgnoreReason>: <what showed it>" (a header or the
subject, quoted from the message); a failed message's reason is the operator's English text,
shown as it is. The stable JSON shape is in `message_json` and the README.
"""

from __future__ import annotations

from typing import Any

from core.catalogue import IGNORE_REASONS, label, outcome_name, word
from core.vocabulary import Outcome
from review.dates import format_date
from review.rendering import cut
from store.models import InboundMessage

_WIDTHS = (6, 12, 10, 14, 50)


# Columns `messages --json` shows as they are; with the four below, the stable JSON shape of one
# inbound message (documented in the README).
_MESSAGE_COLUMNS = (
    "id",
    "mailbox",
    "folder",
    "uidvalidity",
    "uid",
    "message_id",
    "raw_sha256",
    "raw_size",
    "raw_path",
    "sender",
    "subject",
    "outcome",
    "reason",
    "attempts",
)


def message_json(row: InboundMessage) -> dict[str, Any]:
    """The stable JSON shape of one inbound message (documented in the README)."""
    return {
        **{column: getattr(row, column) for column in _MESSAGE_COLUMNS},
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        "defects": list(row.defects),
        "draft_id": row.draft.id if row.draft else None,
        "created_at": row.created_at.isoformat(),
    }


def reason_text(row: InboundMessage, lang: str = "fi") -> str:
    """Why a message was ignored, in words ("automaattinen vastaus (Precedence: bulk)")."""
    if row.outcome != Outcome.IGNORED:
        return row.reason
    code, sep, evidence = row.reason.partition(": ")
    if not sep or code not in IGNORE_REASONS:
        return row.reason
    name = word(IGNORE_REASONS, code, lang)
    return f"{name} ({evidence})" if evidence else name


def messages_table(rows: list[InboundMessage], lang: str = "fi") -> str:
    """One line per message: number, arrival date, outcome, mailbox, subject, and the reason."""
    if not rows:
        return label("no_messages", lang)
    heads = ("id", "received", "outcome", "mailbox", "subject")
    lines = ["  ".join(label(h, lang).ljust(w) for h, w in zip(heads, _WIDTHS, strict=True))]
    lines[0] += f"  {label('reason', lang)}"
    for row in rows:
        cells = (
            str(row.id),
            format_date(row.sent_at or row.created_at, lang),
            outcome_name(row.outcome, lang),
            row.mailbox,
            row.subject,
        )
        line = "  ".join(cut(c, w).ljust(w) for c, w in zip(cells, _WIDTHS, strict=True))
        lines.append(f"{line}  {cut(reason_text(row, lang), 60)}".rstrip())
    lines.append(f"{label('message_count', lang)}: {len(rows)}")
    return "\n".join(lines)
