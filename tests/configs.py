"""The one way tests write a practice-inbox configuration: tables as Python values, TOML out.

A test names only the tables and keys it cares about (`limits={"max_message_bytes": 20000}`);
the builder fills in a data directory beside the file and writes TOML that `load_settings`
reads, quoting and escaping for the test. Fast tests that need no file get the same tables
validated by the real parser through `parsed_settings()`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol, TypeAlias

from core.config import Settings, parse_settings

# What a TOML value may be here: the configuration uses nothing else.
TomlValue: TypeAlias = str | int | float | bool | Path | Sequence[str]
Table: TypeAlias = Mapping[str, TomlValue]

SENDERS: Table = {"public_domains": ["*.fi"], "own_addresses": ["avoinhallinto@vm.fi"]}
ORGANISATIONS: Table = {"vm.fi": "Valtiovarainministeriö"}

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


class ImapServer(Protocol):
    """What a mailbox table needs to know of a test IMAP server (devserver's Dovecot)."""

    host: str
    imap_port: int
    imaps_port: int
    ca_file: Path


def mailbox_table(
    server: ImapServer, username: str, password_env: str, **keys: TomlValue
) -> dict[str, TomlValue]:
    """One `[[mailbox]]` on `server` over verified TLS; `keys` change or add any mailbox key.

    The port follows `security` (IMAPS for tls, plain IMAP otherwise) unless given.
    """
    security = keys.get("security", "tls")
    table: dict[str, TomlValue] = {
        "name": "avoinhallinto",
        "host": server.host,
        "port": server.imaps_port if security == "tls" else server.imap_port,
        "security": security,
        "ca_file": server.ca_file,
        "username": username,
        "password_env": password_env,
        "folder": "INBOX",
        "processed_folder": "Käsitellyt",
        "failed_folder": "Virheelliset",
        # A fresh test user has only INBOX: the poller makes the other two (with a WARNING).
        "create_missing_folders": True,
        "connect_timeout_seconds": 5.0,
        "read_timeout_seconds": 10.0,
    }
    table.update(keys)
    return table


class SmtpServer(Protocol):
    """What an [smtp] table needs to know of a test SMTP server (devserver's aiosmtpd)."""

    host: str
    port: int
    ca_file: Path


SMTP_PASSWORD_ENV = "PRACTICES_TEST_SMTP_PASSWORD"


def smtp_table(server: SmtpServer, **keys: TomlValue) -> dict[str, TomlValue]:
    """An `[smtp]` table for `server`: STARTTLS verified against its CA, AUTH with the user
    devserver's SmtpServer knows by default, the password in $PRACTICES_TEST_SMTP_PASSWORD
    (set it to "smtp-secret"), short timeouts; `keys` change or add any key."""
    table: dict[str, TomlValue] = {
        "host": server.host,
        "port": server.port,
        "security": "starttls",
        "ca_file": server.ca_file,
        "username": "avoinhallinto",
        "password_env": SMTP_PASSWORD_ENV,
        "from_address": "avoinhallinto@vm.fi",
        "from_name": "Avoin hallinto",
        "timeout_seconds": 5.0,
    }
    table.update(keys)
    return table


def write_config(path: Path, **tables: Table | Sequence[Table]) -> Path:
    """Write `tables` to `path` as TOML; `storage.data_dir` defaults to `data` beside it.

    A table is a mapping (`limits={...}`); a list of mappings is an array of tables
    (`mailbox=[...]`). An empty table is left out.
    """
    path.write_text(toml_text(_with_defaults(path.parent, tables)), encoding="utf-8")
    return path


def parsed_settings(directory: Path, **tables: Table | Sequence[Table]) -> Settings:
    """The Settings `write_config` would give, validated by the real parser, with no file."""
    document = json.loads(json.dumps(_with_defaults(directory, tables), default=str))
    return parse_settings(document, str(directory / "practices.toml"), directory)


def _with_defaults(
    directory: Path, tables: Mapping[str, Table | Sequence[Table]]
) -> dict[str, Table | Sequence[Table]]:
    storage = tables.get("storage", {})
    assert isinstance(storage, Mapping)
    return {**tables, "storage": {"data_dir": directory / "data", **storage}}


def toml_text(tables: Mapping[str, Table | Sequence[Table]]) -> str:
    """TOML for a document of tables and arrays of tables (all the configuration has)."""
    lines: list[str] = []
    for name, content in tables.items():
        if isinstance(content, Mapping):
            if content:
                lines += [f"[{_key(name)}]", *_assignments(content), ""]
            continue
        for table in content:
            lines += [f"[[{_key(name)}]]", *_assignments(table), ""]
    return "\n".join(lines)


def _assignments(table: Table) -> list[str]:
    return [f"{_key(key)} = {_value(value)}" for key, value in table.items()]


def _key(key: str) -> str:
    return key if _BARE_KEY.fullmatch(key) else _string(key)


def _value(value: TomlValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str | Path):
        return _string(str(value))
    return "[" + ", ".join(_string(item) for item in value) + "]"


def _string(text: str) -> str:
    # A JSON string is a valid TOML basic string: the same quotes and escapes.
    return json.dumps(text, ensure_ascii=False)
