"""A small IMAP server on loopback that can be told to misbehave, for the hostile-server tests.

It speaks just enough IMAP4rev1 for one poll cycle (CAPABILITY, LOGIN, LIST, CREATE, SELECT,
UID SEARCH, UID FETCH, UID MOVE, NOOP, LOGOUT) over plain TCP, keeps its mail in memory, and
follows a `Script` that says how to break the protocol: endless untagged responses, a literal
trickled a byte at a time, a size that lies, a literal of absurd size, a bogus UIDVALIDITY or
UID. A misbehaving answer goes on until the client hangs up.
"""

from __future__ import annotations

import re
import socketserver
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

CAPABILITIES = b"IMAP4rev1 MOVE UIDPLUS"


@dataclass
class Script:
    """How the server answers; the defaults are a well-behaved server."""

    uidvalidity: bytes | None = b"1"  # None: SELECT gives none at all
    search_answer: bytes | None = None  # raw UIDs for every SEARCH
    announced_size: int | None = None  # RFC822.SIZE told for every message
    literal_size: int | None = None  # the {N} announced for every BODY[]
    endless_exists: bool = False  # `* 1 EXISTS` after SELECT, for ever
    trickle_seconds: float = 0.0  # pause between the bytes of every BODY[]


@dataclass
class Mailbox:
    """The server's mail: INBOX by UID, and what was moved where."""

    inbox: dict[int, bytes] = field(default_factory=dict)
    folders: dict[str, list[bytes]] = field(default_factory=dict)

    def uids(self, text: str) -> list[int]:
        """The UIDs of INBOX a sequence set such as `1,3:5` or `2:*` names."""
        found: set[int] = set()
        highest = max(self.inbox, default=0)
        for part in text.split(","):
            low, _, high = part.partition(":")
            start = highest if low == "*" else int(low)
            end = start if not high else highest if high == "*" else int(high)
            found.update(u for u in self.inbox if min(start, end) <= u <= max(start, end))
        return sorted(found)


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def send(self, *lines: bytes) -> None:
        self.wfile.write(b"".join(line + b"\r\n" for line in lines))

    def handle(self) -> None:
        try:
            self.send(b"* OK [CAPABILITY " + CAPABILITIES + b"] scripted server ready")
            while line := self.rfile.readline():
                tag, _, rest = line.rstrip(b"\r\n").decode().partition(" ")
                if not self.answer(tag, rest):
                    return
        except OSError:
            return  # the client hung up on a misbehaving answer: what the tests want

    def answer(self, tag: str, command: str) -> bool:
        name, _, args = command.partition(" ")
        name, box = name.upper(), self.server.mailbox
        if name == "UID":
            name, _, args = args.partition(" ")
            name = "UID " + name.upper()
        if name == "CAPABILITY":
            self.send(b"* CAPABILITY " + CAPABILITIES)
        elif name == "LIST":
            for folder in ["INBOX", *box.folders]:
                self.send(f'* LIST () "/" "{folder}"'.encode())
        elif name == "CREATE":
            box.folders.setdefault(args.strip('"'), [])
        elif name == "SELECT":
            self.select()
        elif name == "UID SEARCH":
            self.search(args)
        elif name == "UID FETCH":
            set_text, _, items = args.partition(" ")
            self.fetch(box.uids(set_text), items.upper())
        elif name == "UID MOVE":
            set_text, _, folder = args.partition(" ")
            for uid in box.uids(set_text):
                box.folders.setdefault(folder.strip('"'), []).append(box.inbox.pop(uid))
        elif name == "LOGOUT":
            self.send(b"* BYE logging out", f"{tag} OK LOGOUT completed".encode())
            return False
        elif name not in ("LOGIN", "NOOP"):
            self.send(f"{tag} BAD unknown command".encode())
            return True
        self.send(f"{tag} OK {name} completed".encode())
        return True

    def select(self) -> None:
        script, box = self.server.script, self.server.mailbox
        if script.endless_exists:
            while True:
                self.send(b"* 1 EXISTS")
        self.send(f"* {len(box.inbox)} EXISTS".encode(), b"* 0 RECENT", b"* FLAGS (\\Seen)")
        if script.uidvalidity is not None:
            self.send(b"* OK [UIDVALIDITY " + script.uidvalidity + b"] UIDs valid")
        self.send(f"* OK [UIDNEXT {max(box.inbox, default=0) + 1}] next".encode())

    def search(self, criteria: str) -> None:
        script, box = self.server.script, self.server.mailbox
        if script.search_answer is not None:
            self.send(b"* SEARCH " + script.search_answer)
            return
        match = re.search(r"UID (\S+)", criteria)
        uids = box.uids(match.group(1)) if match else sorted(box.inbox)
        self.send(("* SEARCH " + " ".join(map(str, uids))).strip().encode())

    def fetch(self, uids: list[int], items: str) -> None:
        script, box = self.server.script, self.server.mailbox
        for uid in uids:
            raw = box.inbox[uid]
            head = f"* {uid} FETCH (UID {uid} ".encode()
            if "RFC822.SIZE" in items:
                size = len(raw) if script.announced_size is None else script.announced_size
                self.send(head + f"RFC822.SIZE {size})".encode())
            elif "HEADER" in items:
                header = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
                self.send(head + f"BODY[HEADER]<0> {{{len(header)}}}".encode())
                self.send(header + b")")
            else:
                self.body(head, raw)

    def body(self, head: bytes, raw: bytes) -> None:
        script = self.server.script
        size = len(raw) if script.literal_size is None else script.literal_size
        self.send(head + f"BODY[] {{{size}}}".encode())
        if script.literal_size is not None or script.trickle_seconds:
            for position in range(size):  # until the client hangs up
                self.wfile.write(raw[position % len(raw) : position % len(raw) + 1])
                time.sleep(script.trickle_seconds or 0.01)
        else:
            self.wfile.write(raw)
        self.send(b")")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, script: Script, mailbox: Mailbox) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script = script
        self.mailbox = mailbox


class ScriptedImapServer:
    """`with ScriptedImapServer(script, {uid: raw}) as server:` serves on `server.port`."""

    def __init__(self, script: Script, inbox: dict[int, bytes]) -> None:
        self.mailbox = Mailbox(inbox=dict(inbox))
        self._server = _Server(script, self.mailbox)
        self.port: int = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def script(self) -> Script:
        return self._server.script

    @script.setter
    def script(self, script: Script) -> None:
        self._server.script = script

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
