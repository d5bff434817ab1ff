"""Seeding a throwaway Dovecot fast: Maildir files written straight into the user's maildir.

Files go into cur/ with CRLF line ends and S= and W= sizes in the name so Dovecot never reads a
file to size it; one untimed FETCH RFC822.SIZE then lets Dovecot index them. Several times faster
than APPEND, and no client pays for it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from devserver.dovecot import DovecotServer


def seed_maildir(server: DovecotServer, user: str, messages: Iterator[bytes], first: int) -> int:
    """Write messages as Maildir files Dovecot will index on the next SELECT; returns bytes."""
    mail_root = server.base_dir / "mail"
    owner = mail_root.stat()
    maildir = mail_root / user
    for sub in ("", "cur", "new", "tmp"):
        directory = maildir / sub
        if not directory.exists():
            directory.mkdir(mode=0o700)
            os.chown(directory, owner.st_uid, owner.st_gid)
    total = 0
    for offset, raw in enumerate(messages):
        assert raw.count(b"\n") == raw.count(b"\r\n"), "bare LF would break W= sizes"
        n = first + offset
        path = (
            maildir
            / "cur"
            / f"{1767225600 + n}.M{n}P{os.getpid()}.bench,S={len(raw)},W={len(raw)}:2,"
        )
        path.write_bytes(raw)
        os.chown(path, owner.st_uid, owner.st_gid)
        total += len(raw)
    return total


def index_mailbox(server: DovecotServer, user: str) -> int:
    """SELECT and FETCH sizes once so Dovecot's first indexing is charged to nobody."""
    client = server.client(user)
    try:
        client.select_folder("INBOX", readonly=True)
        uids = client.search("ALL")
        for start in range(0, len(uids), 500):
            client.fetch(uids[start : start + 500], ["RFC822.SIZE"])
        return len(uids)
    finally:
        client.logout()
