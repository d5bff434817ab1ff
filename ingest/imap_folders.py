"""Folder names as the operator writes them, turned into the server's own form (RFC 2342).

The TOML names folders with "/" between levels and without the personal namespace prefix
("Käsitellyt/2026"), so one configuration works on every server. Servers differ:

    server                          NAMESPACE (personal)   delimiter   "Käsitellyt/2026" is
    Dovecot (default)               ""                     "/"         Käsitellyt/2026
    Courier IMAP, Dovecot "INBOX."  "INBOX."               "."         INBOX.Käsitellyt.2026
    Cyrus (altnamespace off)        "INBOX."               "." or "/"  INBOX.Käsitellyt.2026
    Exchange Online                 ""                     "/"         Käsitellyt/2026

A name already in the server's full form ("INBOX.Käsitellyt" on Courier, or "INBOX/Käsitellyt"
meaning the same) is used as is; "INBOX" is always INBOX (RFC 3501 §5.1). A level that contains
the server's delimiter ("v1.2" where "." separates levels) cannot be written on that server and
is refused with the reason, rather than silently becoming two levels.

NAMESPACE and the hierarchy delimiter (`LIST "" ""`, RFC 3501 §6.3.8) are read once per
connection. SPECIAL-USE attributes (RFC 6154: \\Sent, \\Trash, ...) come with the folder list
and are kept for information only: they are reported, never used to pick a folder.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.errors import MailboxFolderError

if TYPE_CHECKING:
    from ingest.imap_source import ImapSource

log = logging.getLogger(__name__)

# RFC 6154 §2 attributes, reported by `check-config --connect`.
SPECIAL_USES = ("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash")
INBOX = "INBOX"


class UnwritableName(ValueError):
    """Raised when a configured folder name cannot be written on this server; says why."""


@dataclass(frozen=True, slots=True)
class Namespace:
    """The personal namespace of one account: its prefix and hierarchy delimiter ("" = flat)."""

    prefix: str = ""
    delimiter: str = "/"

    def server_name(self, configured: str) -> str:
        """`configured` (TOML form) in this server's form.

        >>> Namespace("INBOX.", ".").server_name("Käsitellyt/2026")
        'INBOX.Käsitellyt.2026'
        >>> Namespace("INBOX.", ".").server_name("INBOX.Käsitellyt")
        'INBOX.Käsitellyt'
        >>> Namespace("", "/").server_name("Käsitellyt/2026")
        'Käsitellyt/2026'
        """
        if configured.upper() == INBOX:
            return INBOX
        if self.prefix and _starts_with_prefix(configured, self.prefix):
            return _inbox_upper(configured, self.prefix)
        levels = configured.split("/")
        if self.prefix and len(levels) > 1 and _same_level(levels[0], self._prefix_level()):
            # "INBOX/Käsitellyt" on an "INBOX." server: the prefix written with our "/".
            levels = levels[1:]
        if any(not level.strip() for level in levels):
            raise UnwritableName("it has an empty level (two '/' in a row, or '/' at an end)")
        if len(levels) > 1 and not self.delimiter:
            raise UnwritableName("the server has no folder hierarchy (its delimiter is NIL)")
        if self.delimiter and self.delimiter != "/":
            clashing = [level for level in levels if self.delimiter in level]
            if clashing:
                raise UnwritableName(
                    f"the server separates levels with {self.delimiter!r}, so {clashing[0]!r} "
                    "would become two levels; rename it, or write the full server form"
                )
        return self.prefix + self.delimiter.join(levels)

    def _prefix_level(self) -> str:
        return self.prefix[: -len(self.delimiter)] if self.delimiter else self.prefix

    def describe(self) -> str:
        """As `check-config --connect` prints it: `prefix "INBOX." delimiter "."`."""
        delimiter = f'"{self.delimiter}"' if self.delimiter else "NIL (flat)"
        return f'personal prefix "{self.prefix}", delimiter {delimiter}'


def _starts_with_prefix(name: str, prefix: str) -> bool:
    # The INBOX part of a prefix is case-insensitive (RFC 3501 §5.1); the rest is not.
    if prefix.upper().startswith(INBOX):
        head = len(INBOX)
        return name[:head].upper() == INBOX and name[head : len(prefix)] == prefix[head:]
    return name.startswith(prefix)


def _inbox_upper(name: str, prefix: str) -> str:
    return INBOX + name[len(INBOX) :] if prefix.upper().startswith(INBOX) else name


def _same_level(level: str, prefix_level: str) -> bool:
    if prefix_level.upper() == INBOX:
        return level.upper() == INBOX
    return bool(prefix_level) and level == prefix_level


def namespace_from(
    personal: Iterable[tuple[str, str | None]] | None, list_delimiter: str | None
) -> Namespace:
    """The account's namespace from NAMESPACE's personal part (None when the server has no
    NAMESPACE) and the delimiter `LIST "" ""` gave (None for NIL)."""
    first = next(iter(personal or ()), None)
    if first is None:
        return Namespace("", list_delimiter or "")
    prefix, delimiter = first
    return Namespace(prefix, delimiter if delimiter is not None else list_delimiter or "")


@dataclass(frozen=True, slots=True)
class FolderListing:
    """Every folder on the server by name, and the special-use attributes seen on them."""

    names: frozenset[str]
    special_use: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_list(cls, listing: Iterable[tuple[Iterable[bytes], object, str]]) -> FolderListing:
        names: set[str] = set()
        special: dict[str, str] = {}
        for flags, _delimiter, name in listing:
            names.add(name)
            for flag in flags:
                text = flag.decode("ascii", "replace") if isinstance(flag, bytes) else str(flag)
                canonical = next((u for u in SPECIAL_USES if u.lower() == text.lower()), None)
                if canonical is not None:
                    special.setdefault(canonical, name)
        return cls(frozenset(names), special)

    def has(self, server_name: str) -> bool:
        """Whether the folder exists; INBOX in any case is INBOX."""
        if server_name.upper() == INBOX:
            return any(name.upper() == INBOX for name in self.names)
        return server_name in self.names

    def describe_special_use(self) -> str:
        if not self.special_use:
            return "none announced"
        return ", ".join(f"{use} {name}" for use, name in sorted(self.special_use.items()))


# (mailbox, host, namespace, resolved names) already logged: the names are logged once per
# process, and again only when they change.
_LOGGED: set[object] = set()


class ServerFolders:
    """The folders of one connection: its namespace (read once), names resolved, the listing."""

    def __init__(self, source: ImapSource) -> None:
        self.source = source
        self._namespace: Namespace | None = None

    @property
    def namespace(self) -> Namespace:
        """NAMESPACE's personal part when offered (RFC 2342) and `LIST "" ""`'s delimiter."""
        if self._namespace is None:
            source = self.source
            personal = None
            if "NAMESPACE" in source.capabilities:
                answer = source.call(source.limits("NAMESPACE"), source.client.namespace)
                personal = answer.personal
            root = source.call(source.limits("LIST"), source.client.list_folders, "", "")
            delimiter = root[0][1] if root else None
            if isinstance(delimiter, bytes):
                delimiter = delimiter.decode("utf-8", "replace")
            self._namespace = namespace_from(personal, delimiter)
        return self._namespace

    def server_name(self, configured: str) -> str:
        """A folder name from the TOML in this server's form."""
        try:
            return self.namespace.server_name(configured)
        except UnwritableName as exc:
            s = self.source.settings
            raise MailboxFolderError(
                f"mailbox {s.name!r}: folder {configured!r} cannot be used on {s.host}: {exc}"
            ) from exc

    def listing(self) -> FolderListing:
        """Every folder on the server now, with the special-use attributes seen (RFC 6154)."""
        source = self.source
        return FolderListing.from_list(
            source.call(source.limits("LIST"), source.client.list_folders)
        )

    def resolved(self) -> dict[str, str]:
        """Each configured folder key's name in the server's form, logged once per process."""
        s = self.source.settings
        keys = {"folder": s.folder, "processed_folder": s.processed_folder}
        keys["failed_folder"] = s.failed_folder
        if s.sent_folder:
            keys["sent_folder"] = s.sent_folder
        resolved = {key: self.server_name(name) for key, name in keys.items()}
        note = (s.name, s.host, self.namespace, tuple(resolved.items()))
        if note not in _LOGGED:
            _LOGGED.add(note)
            log.info(
                "mailbox %s: server namespace %s; folders %s",
                s.name,
                self.namespace.describe(),
                ", ".join(f"{keys[k]!r} -> {v!r}" for k, v in resolved.items()),
                extra={"mailbox": s.name},
            )
        return resolved

    def ensure(self) -> None:
        """The watched folder must exist; the processed and failed ones are created when
        missing and `create_missing_folders` allows, with a warning naming them."""
        source, s = self.source, self.source.settings
        resolved = self.resolved()
        listing = self.listing()
        for key in ("folder", "processed_folder", "failed_folder"):
            folder = resolved[key]
            if listing.has(folder):
                continue
            if key == "folder" or not s.create_missing_folders:
                raise MailboxFolderError(
                    f"mailbox {s.name!r}: folder {folder!r} does not exist; existing folders: "
                    + ", ".join(sorted(listing.names))
                )
            log.warning(
                "mailbox %s: folder %r does not exist; creating it (create_missing_folders)",
                s.name,
                folder,
                extra={"mailbox": s.name},
            )
            source.call(source.limits("CREATE"), source.client.create_folder, folder)
