"""What became of one message, and the row writes that decide it.

Both first recording and `practices retry` settle a row through `settle`, and every failure
keeps its reason and traceback the same way, so a retried message looks like one that went
right the first time.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.errors import MessageError
from core.vocabulary import Outcome
from ingest.analysis import Analysis
from ingest.envelope import header_facts
from ingest.records import fill_inbound, new_draft
from store.models import InboundMessage


@dataclass(frozen=True, slots=True)
class Recorded:
    """What the pipeline did with one arrival."""

    inbound_id: int
    outcome: Outcome
    reason: str
    draft_id: int | None
    known_before: bool = False


def failure_reason(exc: Exception) -> str:
    """A MessageError is worded for the operator; anything else also needs its type to say much."""
    return str(exc) if isinstance(exc, MessageError) else f"{type(exc).__name__}: {exc}"


def traceback_text(exc: Exception) -> str:
    """The end of the traceback (where it broke), bounded so a deep recursion cannot bloat a row."""
    return "".join(traceback.format_exception(exc))[-20000:]


def settle(session: Session, row: InboundMessage, analysis: Analysis) -> Recorded:
    """Give `row` the outcome its analysis decides: ignored with the reason, or a new draft."""
    fill_inbound(row, analysis)
    if analysis.ignore is not None:
        row.outcome = Outcome.IGNORED.value
        row.reason = f"{analysis.ignore.reason.value}: {analysis.ignore.detail}"
        session.add(row)
        session.flush()
        return Recorded(row.id, Outcome.IGNORED, row.reason, None)
    row.outcome, row.reason = Outcome.DRAFT.value, ""
    draft = new_draft(analysis)
    draft.inbound = row
    session.add_all([row, draft])
    session.flush()
    return Recorded(row.id, Outcome.DRAFT, "", draft.id)


def oversize_row(
    header: bytes, mailbox: str, folder: str, uidvalidity: int, uid: int, size: int, limit: int
) -> InboundMessage:
    """The failed row of a message too large to fetch: no raw, only its header block's facts."""
    facts = header_facts(header)
    return InboundMessage(
        mailbox=mailbox,
        folder=folder,
        uidvalidity=uidvalidity,
        uid=uid,
        raw_sha256=None,
        raw_size=size,
        raw_path="",
        outcome=Outcome.FAILED.value,
        reason=f"too large: {size} bytes, limit limits.max_message_bytes = {limit}",
        error_text="",
        attempts=1,
        server_done=False,
        defects=[],
        message_id=facts.get("message_id", ""),
        sender=facts.get("sender", ""),
        subject=facts.get("subject", ""),
    )
