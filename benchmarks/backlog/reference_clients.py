"""What `practices poll` is compared against: a bare imapclient loop and mbsync (Debian isync).

The bare loop is the limit of any IMAP client here; mbsync is what a user might run instead.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from devserver.dovecot import DovecotServer
from ingest.imap_source import size_batches


def bare_fetch(
    server: DovecotServer,
    user: str,
    batch_bytes: int,
    *,
    tls: bool,
    debug: int | None,
    limit: int | None = None,
) -> tuple[float, int, int]:
    """(seconds, messages, bytes) of a bare loop: sizes, then BODY.PEEK[] per size budget.

    `batch_bytes` is the same budget the poll under test is configured with; `debug` None keeps
    imapclient's default imaplib debug level (5), the trap the loop at 0 avoids.
    """
    started = time.perf_counter()
    client = server.client(user, tls=tls)
    if debug is not None:
        client._imap.debug = debug
    messages = fetched = 0
    try:
        client.select_folder("INBOX", readonly=True)
        uids = sorted(client.search("ALL"))[:limit]
        sizes: dict[int, int] = {}
        for start in range(0, len(uids), 500):
            for uid, data in client.fetch(uids[start : start + 500], ["RFC822.SIZE"]).items():
                sizes[uid] = int(data[b"RFC822.SIZE"])
        for batch in size_batches(sizes, batch_bytes):
            for data in client.fetch(batch, ["BODY.PEEK[]"]).values():
                fetched += len(data[b"BODY[]"])
                messages += 1
    finally:
        client.logout()
    return time.perf_counter() - started, messages, fetched


def mbsync_pull(server: DovecotServer, user: str, work: Path) -> tuple[float, int, int]:
    """(seconds, files, bytes) of mbsync pulling INBOX over IMAPS into a fresh Maildir."""
    if shutil.which("mbsync") is None:
        subprocess.run(["apt-get", "install", "-y", "-q", "isync"], check=True)
    work.mkdir()
    rc = work / "mbsyncrc"
    rc.write_text(
        f"IMAPAccount bench\nHost localhost\nPort {server.imaps_port}\nUser {user}\n"
        f"Pass {server.password(user)}\nSSLType IMAPS\nCertificateFile {server.ca_file}\n\n"
        "IMAPStore remote\nAccount bench\n\n"
        f"MaildirStore local\nPath {work}/maildir/\nInbox {work}/maildir/INBOX\n\n"
        "Channel pull\nFar :remote:\nNear :local:\nPatterns INBOX\nSync Pull\nCreate Near\n"
        f"SyncState {work}/state/\n",
        encoding="utf-8",
    )
    rc.chmod(0o600)
    (work / "state").mkdir()
    (work / "maildir").mkdir()
    started = time.perf_counter()
    subprocess.run(["mbsync", "-q", "-c", str(rc), "pull"], check=True)
    seconds = time.perf_counter() - started
    files = [p for p in (work / "maildir" / "INBOX").glob("*/*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    shutil.rmtree(work)
    return seconds, len(files), total
