"""The parsed form of one raw message, as every later step of the pipeline sees it.

`ingest.mime.parse_message` builds it from raw bytes; nothing after that step touches MIME again.
Text is always `str` (decoded with the charset fallback chain); binary parts keep their bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Attachment:
    """A non-body leaf part: a document, an image (inline or attached) or anything else.

    `filename` is already sanitised (no path separators, no control characters); `content_type`
    is what the message declared, lower-cased, and must never be trusted for images or documents:
    sniff the bytes. `nested_in` is "message/rfc822" for parts found inside a forwarded message.
    """

    index: int
    content_type: str
    filename: str
    payload: bytes
    content_id: str = ""
    inline: bool = False
    nested_in: str = ""


@dataclass(frozen=True, slots=True)
class ParsedMessage:
    """Everything the pipeline needs from one message, decoded and bounded."""

    message_id: str
    subject: str
    from_name: str
    from_address: str
    date: datetime | None
    content_type: str
    headers: tuple[tuple[str, str], ...]
    text_plain: str
    text_html: str
    attachments: tuple[Attachment, ...] = ()
    defects: tuple[str, ...] = ()
    parser: str = "mail-parser"
    to_addresses: tuple[str, ...] = field(default=())

    def header(self, name: str) -> list[str]:
        """All values of header `name` (case-insensitive), in message order."""
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def first_header(self, name: str) -> str:
        """The first value of header `name`, or "" when absent."""
        values = self.header(name)
        return values[0] if values else ""
