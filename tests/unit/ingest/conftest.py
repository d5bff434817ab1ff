"""The poller's fast tier: a real store and pipeline over SQLite in tmp_path, a fake IMAP server.

Only the server is faked (tests/fakes/mailbox.py); rows, raw files, analysis and progress are
the real ones, so a test can say what the next cycle finds exactly as the daemon would.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.config import MailboxSettings
from ingest.pipeline import Pipeline
from ingest.poller import CycleReport, MailboxPoller
from store import repository
from store.app import App, open_app
from store.models import InboundMessage, PracticeDraft
from tests.configs import parsed_settings
from tests.fakes.mailbox import FakeMailbox
from tests.mail import submission
from tests.schema import create_schema

WATCHED, PROCESSED, FAILED = "INBOX", "Käsitellyt", "Virheelliset"
# Every test message is a submission of this many bytes, give or take its random Message-ID.
MESSAGE_BYTES = len(submission(subject="Käytäntö 000"))
# A fetch budget that holds two of them and not three, so batches are easy to name.
TWO_PER_BATCH = 2 * MESSAGE_BYTES + MESSAGE_BYTES // 2


@dataclass
class PollerRig:
    """One mailbox's poller wired to a FakeMailbox; what a test drives and inspects."""

    app: App
    mailbox: FakeMailbox
    settings: MailboxSettings
    poller: MailboxPoller

    def deliver(self, count: int) -> list[bytes]:
        """`count` new submissions in the watched folder (UIDs continue from the last one)."""
        raws = [submission(subject=f"Käytäntö {n:03d}") for n in range(count)]
        for raw in raws:
            self.mailbox.deliver(raw, WATCHED)
        return raws

    def poll(self, stop: threading.Event | None = None) -> CycleReport:
        return self.poller.poll(stop)

    def rows(self) -> list[InboundMessage]:
        with self.app.sessions() as session:
            return list(session.scalars(select(InboundMessage).order_by(InboundMessage.id)))

    def drafts(self) -> int:
        with self.app.sessions() as session:
            return int(session.scalar(select(func.count()).select_from(PracticeDraft)) or 0)

    def progress(self) -> tuple[int | None, int]:
        """(UIDVALIDITY, last UID) as the store remembers them."""
        with self.app.sessions.begin() as session:
            state = repository.mailbox_state(session, self.settings.name)
            return state.uidvalidity, state.last_uid

    def assert_nothing_left_below_progress(self) -> None:
        """A message in the watched folder at or below the remembered UID would never be
        fetched again: lost. Progress may only pass what is recorded and moved."""
        uidvalidity, last_uid = self.progress()
        folder = self.mailbox.folders[WATCHED]
        if uidvalidity == folder.uidvalidity:
            assert [uid for uid in folder.messages if uid <= last_uid] == []

    def assert_each_once(self, raws: list[bytes], drafts: int | None = None) -> None:
        """Every one of `raws` has one row, is moved to the processed folder, and has a draft."""
        rows = self.rows()
        assert len(rows) == len(raws)
        assert len({row.raw_sha256 for row in rows}) == len(raws)
        assert all(row.server_done for row in rows)
        assert self.mailbox.uids(WATCHED) == []
        assert set(raws) <= set(self.mailbox.folders[PROCESSED].messages.values())
        assert self.drafts() == (len(raws) if drafts is None else drafts)


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[PollerRig]:
    """A poller fetching two test messages per batch, interpreting them in this process."""
    settings = parsed_settings(
        tmp_path,
        storage={"fsync": False},
        processing={"workers": 1},
        limits={"max_message_bytes": 4 * MESSAGE_BYTES},
        mailbox=[
            {
                "name": "avoinhallinto",
                "host": "imap.example.fi",
                "username": "avoinhallinto@vm.fi",
                "password_env": "PRACTICES_UNUSED_PASSWORD",
                "folder": WATCHED,
                "processed_folder": PROCESSED,
                "failed_folder": FAILED,
                "fetch_batch_bytes": TWO_PER_BATCH,
            }
        ],
        senders={"own_addresses": ["avoinhallinto@vm.fi"]},
    )
    app = open_app(settings, check_schema=False)
    create_schema(app.engine)
    mailbox = FakeMailbox([WATCHED, PROCESSED, FAILED])  # a mailbox has its folders already
    with Pipeline(app) as pipeline:
        [mailbox_settings] = settings.mailboxes
        poller = MailboxPoller(app, mailbox_settings, pipeline, open_source=mailbox.source)
        yield PollerRig(app, mailbox, mailbox_settings, poller)
    app.close()
