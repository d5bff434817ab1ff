"""An IMAP mailbox in memory that implements `MailboxSource` and fails exactly where told.

The poller's fast tests run against this instead of Dovecot: a cycle costs milliseconds, and a
fault happens at exactly the command a test names, every run: a connection dropped before the
Nth FETCH, a MOVE carried out whose answer never arrives, a UIDVALIDITY change, a message another
client removes between listing and fetching. Every command is written to `commands`, so tests
can assert the order the poller talks in. The real wire (TLS, MOVE vs COPY+EXPUNGE, modified
UTF-7) stays with the Dovecot tests in tests/integration/.

    mailbox = FakeMailbox()
    mailbox.deliver(raw)
    mailbox.drop_connection("fetch", after=2)      # the third FETCH from now fails
    MailboxPoller(app, settings, pipeline, open_source=mailbox.source).poll()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from core.config import MailboxSettings
from core.errors import MailboxConnectionError, MailboxError, MailboxFolderError
from ingest.source import FolderState

T = TypeVar("T")


@dataclass(frozen=True)
class Command:
    """One command the poller sent: its name, the UIDs it named, and a target folder."""

    name: str
    uids: tuple[int, ...] = ()
    folder: str = ""


@dataclass
class Folder:
    """A folder's mail by UID, and the UIDVALIDITY those UIDs mean something under."""

    uidvalidity: int
    messages: dict[int, bytes] = field(default_factory=dict)
    next_uid: int = 1

    def add(self, raw: bytes) -> int:
        uid = self.next_uid
        self.messages[uid] = raw
        self.next_uid += 1
        return uid


@dataclass
class _Trigger:
    """Something that happens at the (skip + 1)th `command` from now."""

    command: str
    skip: int
    before: Callable[[], None] | None = None  # runs, then the command is carried out
    error: MailboxError | None = None  # raised before the command, or after it if `answered`
    answer_lost: bool = False


class FakeMailbox:
    """The server side: folders and mail outlive connections, like on a real server."""

    def __init__(self, folders: Iterable[str] = ("INBOX",)) -> None:
        self._uidvalidities = iter(range(1000, 10**9))
        self.folders = {name: Folder(next(self._uidvalidities)) for name in folders}
        self.commands: list[Command] = []
        self.connections = 0
        self._triggers: list[_Trigger] = []

    # -- what the test does as "someone else" --------------------------------------------------

    def create(self, folder: str) -> Folder:
        """`folder`, made empty with a UIDVALIDITY of its own when it does not exist."""
        if folder not in self.folders:
            self.folders[folder] = Folder(next(self._uidvalidities))
        return self.folders[folder]

    def deliver(self, raw: bytes, folder: str = "INBOX") -> int:
        """Put a message in `folder` (created if missing) and return its UID."""
        return self.create(folder).add(raw)

    def uids(self, folder: str) -> list[int]:
        return sorted(self.folders[folder].messages) if folder in self.folders else []

    def remove(self, folder: str, uid: int) -> None:
        """Another client expunges a message."""
        self.folders[folder].messages.pop(uid, None)

    def recreate(self, folder: str) -> None:
        """The folder is rebuilt (a restore, a server migration): same mail in the same order,
        a new UIDVALIDITY and UIDs from 1 again, so old UIDs may now name other messages."""
        old = self.folders[folder].messages
        rebuilt = self.folders[folder] = Folder(next(self._uidvalidities))
        for uid in sorted(old):
            rebuilt.add(old[uid])

    def sent(self, name: str) -> list[tuple[int, ...]]:
        """The UIDs of each `name` command sent so far, in order."""
        return [command.uids for command in self.commands if command.name == name]

    # -- faults -------------------------------------------------------------------------------

    def drop_connection(self, command: str, *, after: int = 0) -> None:
        """The connection breaks instead of the (after + 1)th `command` from now."""
        self._triggers.append(_Trigger(command, after, error=_dropped(command)))

    def lose_answer(self, command: str, *, after: int = 0) -> None:
        """The server carries out the (after + 1)th `command`, then the connection breaks
        before its answer arrives: the client cannot know that it happened."""
        self._triggers.append(_Trigger(command, after, error=_dropped(command), answer_lost=True))

    def refuse(self, command: str, *, after: int = 0) -> None:
        """The server answers NO to the (after + 1)th `command`; the connection stays up."""
        error = MailboxError(f"fake mailbox: {command} refused (injected)")
        self._triggers.append(_Trigger(command, after, error=error))

    def before(self, command: str, action: Callable[[], None], *, after: int = 0) -> None:
        """Run `action` (e.g. another client's change) just before the (after + 1)th `command`."""
        self._triggers.append(_Trigger(command, after, before=action))

    def source(self, settings: MailboxSettings) -> FakeSource:
        """A new connection to this mailbox: pass as the poller's `open_source`."""
        return FakeSource(self, settings)

    def _due(self, command: str) -> list[_Trigger]:
        due = []
        for trigger in [t for t in self._triggers if t.command == command]:
            if trigger.skip == 0:
                self._triggers.remove(trigger)
                due.append(trigger)
            else:
                trigger.skip -= 1
        return due

    def run(self, command: Command, carry_out: Callable[[], T]) -> T:
        """Log `command`, fire what is due, carry it out; what FakeSource calls for each one."""
        self.commands.append(command)
        due = self._due(command.name)
        for trigger in due:
            if trigger.before is not None:
                trigger.before()
            if trigger.error is not None and not trigger.answer_lost:
                raise trigger.error
        result = carry_out()
        for trigger in due:
            if trigger.error is not None:
                raise trigger.error
        return result


def _dropped(command: str) -> MailboxConnectionError:
    return MailboxConnectionError(f"fake mailbox: connection lost during {command} (injected)")


class FakeSource:
    """One connection to a FakeMailbox, with the calls and the errors of `ImapSource`."""

    def __init__(self, server: FakeMailbox, settings: MailboxSettings) -> None:
        self.server = server
        self.settings = settings
        self._connected = False
        self._selected: str | None = None

    def _do(self, command: Command, carry_out: Callable[[], T]) -> T:
        if not self._connected:
            raise MailboxConnectionError(f"mailbox {self.settings.name!r}: not connected")
        try:
            return self.server.run(command, carry_out)
        except MailboxConnectionError:
            self._connected = False
            raise

    def _folder(self) -> Folder:
        if self._selected is None or self._selected not in self.server.folders:
            raise MailboxError("fake mailbox: no folder selected")
        return self.server.folders[self._selected]

    def connect(self) -> None:
        self._connected = True
        self.server.connections += 1
        self._do(Command("connect"), lambda: None)

    def close(self) -> None:
        self._connected = False

    def ensure_folders(self) -> None:
        def check() -> None:
            s = self.settings
            if s.folder not in self.server.folders:
                raise MailboxFolderError(f"mailbox {s.name!r}: folder {s.folder!r} does not exist")
            for name in (s.processed_folder, s.failed_folder):
                if name not in self.server.folders and not s.create_missing_folders:
                    raise MailboxFolderError(f"mailbox {s.name!r}: folder {name!r} does not exist")
                self.server.create(name)

        self._do(Command("list"), check)

    def select(self) -> FolderState:
        def select() -> FolderState:
            self._selected = self.settings.folder
            folder = self._folder()
            return FolderState(folder.uidvalidity, len(folder.messages))

        return self._do(Command("select", folder=self.settings.folder), select)

    def uids_above(self, last_uid: int) -> list[int]:
        return self._do(
            Command("search"), lambda: [u for u in sorted(self._folder().messages) if u > last_uid]
        )

    def sizes(self, uids: Sequence[int]) -> dict[int, int]:
        def sizes() -> dict[int, int]:
            messages = self._folder().messages
            return {uid: len(messages[uid]) for uid in uids if uid in messages}

        return self._do(Command("size", tuple(uids)), sizes)

    def fetch_headers(self, uid: int) -> bytes:
        def header() -> bytes:
            raw = self._folder().messages.get(uid, b"")
            end = raw.find(b"\r\n\r\n")
            return raw if end < 0 else raw[: end + 4]

        return self._do(Command("fetch_headers", (uid,)), header)

    def fetch(self, uids: Sequence[int]) -> Iterator[tuple[int, bytes]]:
        def fetch() -> list[tuple[int, bytes]]:
            messages = self._folder().messages
            return [(uid, messages[uid]) for uid in sorted(uids) if uid in messages]

        return iter(self._do(Command("fetch", tuple(uids)), fetch))

    def move(self, uids: Iterable[int], folder: str, *, interrupted: bool = False) -> None:
        # The fake's move is atomic, like MOVE: nothing can be left half-copied.
        wanted = tuple(sorted(set(uids)))

        def move() -> None:
            if folder not in self.server.folders:
                raise MailboxError(f"fake mailbox: no folder {folder!r}")
            source, target = self._folder(), self.server.folders[folder]
            for uid in wanted:
                if uid in source.messages:
                    target.add(source.messages.pop(uid))

        self._do(Command("move", wanted, folder), move)
