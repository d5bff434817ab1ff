"""What a mailbox's server offers and what our configuration becomes there, for the operator.

`practices check-config --connect` prints it per mailbox: the capabilities that change how we
work (MOVE or COPY + UID EXPUNGE, IDLE or polling, AUTH= mechanisms for OAuth 2.0), the personal
namespace and delimiter, the special-use folders the server announces (for information), and
each configured folder in the server's form, saying whether it exists or would be created.
Nothing is created, selected or changed: LIST and NAMESPACE only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.config import MailboxSettings
from ingest.imap_source import ImapSource

# The capabilities we act on, in the order printed.
WATCHED = ("MOVE", "UIDPLUS", "IDLE", "NAMESPACE", "CONDSTORE", "SPECIAL-USE")
FOLDER_KEYS = ("folder", "processed_folder", "failed_folder", "sent_folder")


@dataclass(frozen=True)
class FolderLine:
    key: str
    configured: str
    server_name: str
    exists: bool
    creatable: bool


@dataclass(frozen=True)
class ServerReport:
    """One mailbox's server as found now; `ok` False when the daemon could not work with it."""

    mailbox: MailboxSettings
    capabilities: frozenset[str]
    auth_offered: tuple[str, ...]
    login_method: str
    namespace: str
    special_use: str
    folders: tuple[FolderLine, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return all(line.exists or line.creatable for line in self.folders)

    def lines(self) -> list[str]:
        m = self.mailbox
        caps = ", ".join(f"{c} {'yes' if c in self.capabilities else 'no'}" for c in WATCHED)
        lines = [
            f"imap {m.name} {m.host}:{m.port} ({m.security}): logged in as {m.username} "
            f"({self.login_method})",
            f"  capabilities: {caps}; {' '.join(self.auth_offered) or 'no AUTH='}",
            f"  namespace: {self.namespace}",
            f"  special-use: {self.special_use}",
        ]
        for line in self.folders:
            state = (
                "exists"
                if line.exists
                else "would be created"
                if line.creatable
                else "MISSING (create it, or fix the name)"
            )
            lines.append(f'  {line.key} = "{line.configured}" -> {line.server_name} ({state})')
        lines.append(f"  moves by: {self.move_method()}")
        lines.append(f"  new mail: {self.wait_method()}")
        return lines

    def move_method(self) -> str:
        if "MOVE" in self.capabilities:
            return "MOVE"
        if "UIDPLUS" in self.capabilities:
            return "COPY + \\Deleted + UID EXPUNGE (no MOVE)"
        return "COPY + \\Deleted + EXPUNGE (no MOVE, no UIDPLUS)"

    def wait_method(self) -> str:
        if not self.mailbox.idle:
            return "polling only (idle = false)"
        if "IDLE" in self.capabilities:
            return "IDLE between polls"
        return "NOOP between polls (no IDLE)"


def server_report(mailbox: MailboxSettings) -> ServerReport:
    """Log in to `mailbox` and describe its server; raises MailboxError when that fails."""
    with ImapSource(mailbox) as source:
        resolved = source.server_folders.resolved()
        listing = source.server_folders.listing()
        folders = tuple(
            FolderLine(
                key,
                getattr(mailbox, key),
                resolved[key],
                listing.has(resolved[key]),
                key == "sent_folder" or (key != "folder" and mailbox.create_missing_folders),
            )
            for key in FOLDER_KEYS
            if key in resolved
        )
        return ServerReport(
            mailbox,
            source.capabilities,
            tuple(sorted(c for c in source.login_capabilities if c.startswith("AUTH="))),
            source.login_method,
            source.namespace.describe(),
            listing.describe_special_use(),
            folders,
        )
