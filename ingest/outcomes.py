"""What became of one message, and the row writes that decide it.

Every inbound row is made by `new_inbound` and given its outcome by `settle` (a draft or an
ignore) or `settle_failure` (a failure, whether a broken message, one too large to fetch, or a
retry that failed again), so a retried message looks like one that went right the first time.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from sqlalchemy.orm import Session

from core.config import Settings
from core.errors import MessageError, MessageTooLarge
from core.vocabulary import Outcome
from ingest.acknowledge import queue_acknowledgement
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
    """The end of the traceback (where it broke), bounded so a deep recursion cannot bloat a row;
    "" for an error that was recorded where it was found rather than raised."""
    if exc.__traceback__ is None:
        return ""
    return "".join(traceback.format_exception(exc))[-20000:]


def too_large(size: int, limit: int) -> MessageTooLarge:
    """The failure of a message whose announced size is over `limits.max_message_bytes`."""
    return MessageTooLarge(f"too large: {size} bytes, limit limits.max_message_bytes = {limit}")


def new_inbound(
    mailbox: str,
    folder: str,
    uidvalidity: int | None,
    uid: int | None,
    raw_size: int,
    raw_sha256: str | None = None,
    raw_path: str = "",
) -> InboundMessage:
    """A row for a message found in `mailbox` (no UID for an imported file), not yet settled.

    A message never fetched (too large) has no raw hash or file, only its announced size.
    """
    return InboundMessage(
        mailbox=mailbox,
        folder=folder,
        uidvalidity=uidvalidity,
        uid=uid,
        raw_sha256=raw_sha256,
        raw_size=raw_size,
        raw_path=raw_path,
        reason="",
        error_text="",
        attempts=1,
        server_done=uid is None,
        defects=[],
    )


def settle(
    session: Session, row: InboundMessage, analysis: Analysis, settings: Settings
) -> Recorded:
    """Give `row` the outcome its analysis decides: ignored with the reason, or a new draft,
    whose acknowledgement is queued in the same transaction (or why not is recorded on it)."""
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
    queue_acknowledgement(session, settings, draft, row, analysis.message)
    return Recorded(row.id, Outcome.DRAFT, "", draft.id)


def settle_failure(
    session: Session, row: InboundMessage, exc: Exception, header: bytes | None = None
) -> Recorded:
    """Give `row` the failed outcome: why (`exc`) and its traceback; a new row also gets the
    facts of its `header` block, since a message that failed was never parsed whole."""
    if header is not None:
        facts = header_facts(header)
        row.message_id = facts.get("message_id", "")
        row.sender = facts.get("sender", "")
        row.subject = facts.get("subject", "")
    row.outcome = Outcome.FAILED.value
    row.reason = failure_reason(exc)[:2000]
    row.error_text = traceback_text(exc)
    session.add(row)
    session.flush()
    return Recorded(row.id, Outcome.FAILED, row.reason, None)
