"""Copies of the answers we sent, APPENDed to the mailbox's `sent_folder` ("Lähetetyt").

Editors who read the shared mailbox in Outlook then see what each submitter was told. A copy
is a courtesy, not a delivery: when the IMAP server is away, the mail stays sent, the row keeps
`copied = False`, and the next drain of the outbox tries the copy again. One connection per
mailbox serves a whole drain.
"""

from __future__ import annotations

import contextlib
import logging

from core.config import MailboxSettings, Settings
from core.errors import ConfigError, MailboxError
from ingest.imap_source import ImapSource

log = logging.getLogger(__name__)


class SentCopies:
    """Appends copies to the sent folders of the configured mailboxes, connecting lazily."""

    def __init__(self, settings: Settings) -> None:
        self.mailboxes = {m.name: m for m in settings.mailboxes if m.sent_folder}
        self._open: dict[str, ImapSource] = {}

    def wanted(self, mailbox: str) -> bool:
        """Whether mail answering messages of `mailbox` is copied anywhere."""
        return mailbox in self.mailboxes

    def append(self, mailbox: str, raw: bytes) -> bool:
        """Copy `raw` to the sent folder of `mailbox`; False (logged) when that failed."""
        settings = self.mailboxes.get(mailbox)
        if settings is None:
            return False
        try:
            self._source(settings).append(settings.sent_folder, raw)
        except (MailboxError, ConfigError) as exc:
            log.warning("mailbox %s: copy to %r failed: %s", mailbox, settings.sent_folder, exc)
            self._drop(mailbox)
            return False
        return True

    def _source(self, settings: MailboxSettings) -> ImapSource:
        source = self._open.get(settings.name)
        if source is None:
            source = ImapSource(settings)
            source.connect()
            self._open[settings.name] = source
        return source

    def _drop(self, mailbox: str) -> None:
        source = self._open.pop(mailbox, None)
        if source is not None:
            with contextlib.suppress(MailboxError):
                source.close()

    def close(self) -> None:
        for mailbox in list(self._open):
            self._drop(mailbox)
