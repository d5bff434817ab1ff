"""What a mailbox's server offers and what our configuration becomes there, for the operator.

`practices check-config --connect` prints it per mailbox (`practices.checks.imap_servers`): the
login and how it was made, the capabilities that change how we work (MOVE or COPY + UID
EXPUNGE, IDLE or polling, AUTH= mechanisms for OAuth 2.0), the personal namespace and delimiter,
the special-use folders the server announces (for information), and each configured folder in
the server's form, saying whether it exists or would be created. Nothing is created, selected
or changed: LIST and NAMESPACE only.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.config import MailboxSettings
from ingest.imap_source import ImapSource

# The capabilities we act on, in the order printed.
WATCHED = ("MOVE", "UIDPLUS", "IDLE", "NAMESPACE", "CONDSTORE", "SPECIAL-USE")
FOLDER_KEYS = ("folder", "processed_folder", "failed_folder", "sent_folder")


@dataclass(frozen=True, slots=True)
class ReportItem:
    """One line of the report: its topic ("login", "processed_folder"), whether the daemon can
    work with what was found, and the words."""

    topic: str
    ok: bool
    detail: str


@dataclass(frozen=True, slots=True)
class FolderLine:
    """A configured folder in the server's form; `creatable` when the daemon would create it."""

    key: str
    configured: str
    server_name: str
    exists: bool
    creatable: bool

    def item(self, existing: frozenset[str]) -> ReportItem:
        resolved = f'"{self.configured}" -> {self.server_name}'
        if self.exists:
            return ReportItem(self.key, True, f"{resolved} (exists)")
        if self.creatable:
            return ReportItem(self.key, True, f"{resolved} (would be created)")
        return ReportItem(
            self.key,
            False,
            f"{resolved} does not exist (existing: {', '.join(sorted(existing))}); fix the "
            "name, or set create_missing_folders = true",
        )


@dataclass(frozen=True, slots=True)
class ServerReport:
    """One mailbox's server as found now."""

    mailbox: MailboxSettings
    capabilities: frozenset[str]
    auth_offered: tuple[str, ...]
    login_method: str
    namespace: str
    special_use: str
    existing: frozenset[str]
    folders: tuple[FolderLine, ...]

    def items(self) -> list[ReportItem]:
        """The report in the order printed; an item not ok is a failed check."""
        m = self.mailbox
        caps = ", ".join(f"{c} {'yes' if c in self.capabilities else 'no'}" for c in WATCHED)
        auth = " ".join(self.auth_offered) or "no AUTH="
        return [
            ReportItem("login", True, f"logged in as {m.username} ({self.login_method})"),
            ReportItem("capabilities", True, f"{caps}; {auth}"),
            ReportItem("works by", True, f"{self.move_method()}; {self.wait_method()}"),
            ReportItem("namespace", True, f"{self.namespace}; special-use: {self.special_use}"),
            *(line.item(self.existing) for line in self.folders),
        ]

    def move_method(self) -> str:
        if "MOVE" in self.capabilities:
            return "moves by MOVE"
        if "UIDPLUS" in self.capabilities:
            return "moves by COPY + \\Deleted + UID EXPUNGE (no MOVE)"
        return "moves by COPY + \\Deleted + EXPUNGE (no MOVE, no UIDPLUS)"

    def wait_method(self) -> str:
        if not self.mailbox.idle:
            return "new mail by polling only (idle = false)"
        if "IDLE" in self.capabilities:
            return "new mail by IDLE between polls"
        return "new mail by NOOP between polls (no IDLE)"


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
            listing.names,
            folders,
        )
