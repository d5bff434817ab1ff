"""One daemon polls a mailbox at a time: advisory locks on PostgreSQL, a file lock on SQLite.

PostgreSQL (several machines may share the database): each mailbox has a session-level
advisory lock, taken on a connection of its own that the daemon keeps open for as long as it
runs. A second daemon finds the lock taken and stands by, trying again every interval; when
the first stops or dies, its connection closes, PostgreSQL releases its locks at once, and the
second takes over at its next try. (If the first daemon's machine vanishes without closing the
connection, the server notices after its `tcp_keepalives_*` settings allow.) A live connection
is proof that its locks are still held: only the end of the session releases them, and the
connection runs in autocommit, so it never sits idle in a transaction.

SQLite (one machine, one file): the database lives in the daemon's data directory, so a second
daemon on it is a mistake, not a standby; it is refused with one line. The lock is `flock` on
`practices.db.lock` beside the database, released by the kernel when the holder dies, and
holding the holder's pid for the message.
"""

from __future__ import annotations

import fcntl
import os
import zlib
from pathlib import Path

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from core.errors import AnotherInstance
from store.files import PRIVATE_FILE_MODE

# The first key of our advisory locks ("PI"), so they never meet another application's.
LOCK_SPACE = 0x5049


def mailbox_lock_key(mailbox: str) -> int:
    """The second key of `mailbox`'s advisory lock: stable across processes and versions."""
    return zlib.crc32(mailbox.encode("utf-8")) & 0x7FFFFFFF


class MailboxLocks:
    """The advisory locks of this daemon's mailboxes on PostgreSQL, on one dedicated connection."""

    def __init__(self, url: str) -> None:
        self._engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        self._connection: Connection | None = None
        self._held: set[str] = set()

    def hold(self, mailbox: str) -> bool:
        """Whether this daemon holds `mailbox`'s lock now, taking it when it is free.

        Raises OperationalError when the database cannot be reached; the locks of a lost
        connection are gone with it, so the next call takes them anew (or finds them taken).
        """
        try:
            connection = self._connect()
            if mailbox in self._held:
                connection.execute(text("SELECT 1"))
                return True
            taken = connection.execute(
                text("SELECT pg_try_advisory_lock(:space, :key)"),
                {"space": LOCK_SPACE, "key": mailbox_lock_key(mailbox)},
            ).scalar_one()
        except DBAPIError:
            self._drop()
            raise
        if taken:
            self._held.add(mailbox)
        return bool(taken)

    def _connect(self) -> Connection:
        if self._connection is None:
            self._connection = self._engine.connect()
        return self._connection

    def _drop(self) -> None:
        self._held.clear()
        if self._connection is not None:
            try:
                self._connection.invalidate()
                self._connection.close()
            except DBAPIError:
                pass
            self._connection = None

    def close(self) -> None:
        """Release every lock (by ending the session) so that a standby takes over."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._held.clear()
        self._engine.dispose()


class DatabaseFileLock:
    """The one-daemon lock of a SQLite database: `flock` on a file beside it."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = database.with_name(database.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise AnotherInstance naming the daemon that holds it."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise AnotherInstance(
                f"another practices daemon (pid {holder}) already runs on {self.database}; "
                "one daemon per SQLite database: stop the other one first, or give this one "
                "its own storage.data_dir (for two daemons on one mailbox, use PostgreSQL)"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None
