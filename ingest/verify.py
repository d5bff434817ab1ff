"""The invariant checker behind `practices verify`: nothing lost, nothing doubled, all explained.

It reads the mailbox folders and the store and proves, as counts:
- every message in the processed and failed folders has exactly one inbound row (by raw hash;
  a message too large to fetch is matched by Message-ID and size);
- no message sits in the watched folder that is already recorded (it should have been moved);
- every inbound row's raw file exists and has the recorded sha256;
- no inbound row has two drafts, every `draft` row has its draft, and every failed or ignored
  row has its reason.
Messages in the watched folder that are simply not polled yet are counted, not violations.
Reading folders fetches every message (in size-budgeted batches): run it when the mailbox is
quiet, or on a copy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from core.config import MailboxSettings
from core.vocabulary import Outcome
from ingest.imap_source import ImapSource, size_batches
from store import reports
from store.app import App
from store.files import sha256_hex


@dataclass
class VerifyReport:
    """Counts of what was checked and the list of violations found."""

    counts: Counter[str] = field(default_factory=Counter)
    violations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations

    def violate(self, text: str) -> None:
        self.violations.append(text)


def _folder_digests(source: ImapSource, folder: str, max_bytes: int) -> list[tuple[int, str, int]]:
    """(uid, sha256, size) of every message in `folder`; "" as hash for unfetchable ones."""
    source.select(folder, readonly=True)
    sizes = source.sizes(source.all_uids())
    result = [(uid, "", size) for uid, size in sizes.items() if size > max_bytes]
    fetchable = {uid: size for uid, size in sizes.items() if size <= max_bytes}
    for batch in size_batches(fetchable, source.settings.fetch_batch_bytes):
        result.extend((uid, sha256_hex(raw), sizes[uid]) for uid, raw in source.fetch(batch))
    return result


def verify_mailbox(app: App, mailbox: MailboxSettings, report: VerifyReport) -> None:
    """Check one mailbox's folders against the store."""
    with app.readers() as session:
        rows = reports.inbound_messages(session, mailbox=mailbox.name)
    by_hash = {row.raw_sha256: row for row in rows if row.raw_sha256}
    oversize = [row for row in rows if row.raw_sha256 is None]
    with ImapSource(mailbox, app.settings.limits.max_message_bytes) as source:
        for folder in (mailbox.folder, mailbox.processed_folder, mailbox.failed_folder):
            max_bytes = app.settings.limits.max_message_bytes
            for uid, digest, size in _folder_digests(source, folder, max_bytes):
                report.counts[f"messages in {folder}"] += 1
                row = by_hash.get(digest) if digest else None
                if row is None and not digest:
                    row = next((r for r in oversize if r.raw_size == size), None)
                if folder == mailbox.folder:
                    if row is not None:
                        report.violate(
                            f"{mailbox.name}/{folder} uid {uid}: already recorded as inbound "
                            f"{row.id} ({row.outcome}) but still in the watched folder"
                        )
                    else:
                        report.counts["waiting in watched folder"] += 1
                    continue
                if row is None:
                    report.violate(
                        f"{mailbox.name}/{folder} uid {uid}: no inbound row for sha256 {digest}"
                    )
                    continue
                if folder == mailbox.failed_folder and row.outcome != Outcome.FAILED:
                    report.counts["failed folder, since retried successfully"] += 1
                report.counts["folder messages matched"] += 1


def verify_store(app: App, report: VerifyReport) -> None:
    """Check raw files, draft multiplicity and reasons for every inbound row."""
    with app.readers() as session:
        for row in reports.inbound_messages(session):
            report.counts["inbound rows"] += 1
            report.counts[f"outcome {row.outcome}"] += 1
            if row.raw_sha256 is None or not row.raw_path:
                report.counts["too large, never fetched"] += 1
            else:
                path = app.blobs.path_of(row.raw_path)
                if not path.is_file():
                    report.violate(f"inbound {row.id}: raw file {row.raw_path} is missing")
                elif sha256_hex(path.read_bytes()) != row.raw_sha256:
                    report.violate(f"inbound {row.id}: raw file {row.raw_path} has a wrong hash")
                else:
                    report.counts["raw files verified"] += 1
            if row.outcome in (Outcome.FAILED, Outcome.IGNORED) and not row.reason.strip():
                report.violate(f"inbound {row.id}: {row.outcome} without a reason")
            if row.outcome == Outcome.DRAFT and row.draft is None:
                report.violate(f"inbound {row.id}: outcome draft but no draft exists")
        for inbound_id, count in reports.doubled_drafts(session):
            report.violate(f"inbound {inbound_id}: {count} drafts")


def verify(app: App, *, with_mailboxes: bool = True) -> VerifyReport:
    """Run every check; the report says what was counted and what is wrong."""
    report = VerifyReport()
    verify_store(app, report)
    if with_mailboxes:
        for mailbox in app.settings.mailboxes:
            verify_mailbox(app, mailbox, report)
    return report
