"""What a raw message's header block says, read without parsing its body.

The daemon keeps only this block of a message once the raw bytes are archived and handed to a
worker, and it is all a failed or oversize message gets: a body that broke the parser must
not stop us from recording who sent what.
"""

from __future__ import annotations

import email.parser
import email.policy

HEADER_SCAN_BYTES = 256 * 1024


def header_section(raw: bytes) -> bytes:
    """The header block of a raw message, without feeding megabytes of body to a parser."""
    head = raw[:HEADER_SCAN_BYTES]
    for separator in (b"\r\n\r\n", b"\n\n"):
        end = head.find(separator)
        if end != -1:
            return head[: end + len(separator)]
    return head


def header_facts(raw: bytes) -> dict[str, str]:
    """Message-ID, sender and subject by a cheap headers-only parse, for failed rows."""
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(
            header_section(raw)
        )
        return {
            "message_id": str(headers.get("Message-ID", "")).strip().strip("<>")[:998],
            "sender": str(headers.get("From", ""))[:998],
            "subject": str(headers.get("Subject", ""))[:2000],
        }
    except Exception:  # noqa: BLE001 - an unreadable header must not stop recording the failure
        return {}
