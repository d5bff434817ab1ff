"""One TOML file, validated once into typed, immutable settings objects.

Every key, its default and its meaning are documented in `config.example.toml`; this module is the
single place where defaults live. A bad file fails with the file, the dotted key and what is wrong,
so `practices` can print one line and exit 2. Secrets never live in the TOML: a mailbox names the
environment variable or the file that holds its password, and the password is read only when needed.
"""

from __future__ import annotations

import ipaddress
import os
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from core.errors import ConfigError

CONFIG_ENV = "PRACTICES_CONFIG"
SECURITY_MODES = ("tls", "starttls", "plain")

T = TypeVar("T")


@dataclass(frozen=True)
class MailboxSettings:
    """One IMAP mailbox to watch; `name` is the stable key stored on every inbound row."""

    name: str
    host: str
    username: str
    port: int = 993
    security: str = "tls"
    ca_file: str = ""
    password_env: str = ""
    password_file: str = ""
    folder: str = "INBOX"
    processed_folder: str = "Käsitellyt"
    failed_folder: str = "Virheelliset"
    connect_timeout_seconds: float = 30.0
    read_timeout_seconds: float = 120.0
    fetch_batch_bytes: int = 32 * 1024 * 1024
    create_missing_folders: bool = True

    def password(self) -> str:
        """Read the password from the environment or the named file, at the moment it is needed."""
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise ConfigError(
                    "environment",
                    self.password_env,
                    f"mailbox {self.name!r} takes its password from ${self.password_env}, "
                    "which is not set",
                )
            return value
        path = Path(self.password_file)
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            raise ConfigError(str(path), "password_file", f"cannot read: {exc.strerror}") from exc
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                str(path),
                "password_file",
                f"is readable by others (mode {stat.S_IMODE(mode):o}); run chmod 600 on it",
            )
        return path.read_text(encoding="utf-8").strip()

    def describe_password(self) -> str:
        """Say where the password comes from, never what it is."""
        if self.password_env:
            state = "set" if self.password_env in os.environ else "NOT SET"
            return f"${self.password_env} ({state}) ********"
        return f"file {self.password_file} ********"


@dataclass(frozen=True)
class LimitSettings:
    """Bounds that keep one hostile message from costing unbounded time, memory or disk."""

    max_message_bytes: int = 60 * 1024 * 1024
    max_parsed_bytes: int = 16 * 1024 * 1024
    max_parts: int = 500
    max_nesting_depth: int = 20
    max_document_bytes: int = 25 * 1024 * 1024
    max_document_chars: int = 400_000
    max_uncompressed_bytes: int = 100 * 1024 * 1024
    max_pdf_pages: int = 200


@dataclass(frozen=True)
class PhotoSettings:
    """How photos become web derivatives, and the limits on what is decoded at all."""

    web_size: int = 1600
    thumbnail_size: int = 400
    quality: int = 85
    max_image_bytes: int = 40 * 1024 * 1024
    max_image_pixels: int = 80_000_000
    max_images: int = 30
    max_frames: int = 500
    signature_max_bytes: int = 15_000
    signature_max_side: int = 250


@dataclass(frozen=True)
class HealthSettings:
    """When `practices health` calls the service unhealthy."""

    max_poll_age_intervals: int = 3
    max_consecutive_failures: int = 5


@dataclass(frozen=True)
class Settings:
    """The whole validated configuration; built once by `load_settings` and passed down."""

    source: str
    data_dir: Path
    database_url: str
    fsync: bool = True
    interval_seconds: int = 300
    max_backoff_seconds: int = 900
    mailboxes: tuple[MailboxSettings, ...] = ()
    limits: LimitSettings = field(default_factory=LimitSettings)
    photos: PhotoSettings = field(default_factory=PhotoSettings)
    health: HealthSettings = field(default_factory=HealthSettings)
    organisations: Mapping[str, str] = field(default_factory=dict)
    public_domains: tuple[str, ...] = ()
    own_addresses: tuple[str, ...] = ()
    retention_days: int = 365
    log_level: str = "INFO"
    workers: int = 0
    message_timeout_seconds: int = 300

    def masked_database_url(self) -> str:
        """The database URL with any password replaced, for printing."""
        from sqlalchemy.engine import make_url

        return make_url(self.database_url).render_as_string(hide_password=True)


class _Reader:
    """Reads one TOML table with type checks that name the dotted key on failure."""

    def __init__(self, path: str, table: Mapping[str, Any], prefix: str) -> None:
        self.path = path
        self.table = table
        self.prefix = prefix
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.path, self.key(name), problem)

    def get(self, name: str, kind: type[T], default: T) -> T:
        self.used.add(name)
        if name not in self.table:
            return default
        value = self.table[name]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(name, f"must be {_kind_name(kind)}, got {value!r}")
        return value

    def positive(self, name: str, default: int) -> int:
        value = self.get(name, int, default)
        if value <= 0:
            raise self.fail(name, f"must be a positive whole number, got {value}")
        return value

    def required_str(self, name: str) -> str:
        value = self.get(name, str, "")
        if not value.strip():
            raise self.fail(name, "is required and must be a non-empty string")
        return value

    def str_list(self, name: str) -> tuple[str, ...]:
        values = self.get(name, list, [])
        if not all(isinstance(v, str) for v in values):
            raise self.fail(name, "must be a list of strings")
        return tuple(values)

    def check_unknown(self) -> None:
        unknown = sorted(set(self.table) - self.used)
        if unknown:
            raise self.fail(unknown[0], "unknown key (check its spelling in config.example.toml)")


def _kind_name(kind: type) -> str:
    return {
        str: "a string",
        int: "a whole number",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }.get(kind, kind.__name__)


def _table(path: str, root: Mapping[str, Any], name: str) -> _Reader:
    value = root.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(path, name, "must be a table ([" + name + "])")
    return _Reader(path, value, f"{name}.")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_mailbox(path: str, index: int, raw: Any) -> MailboxSettings:
    if not isinstance(raw, dict):
        raise ConfigError(path, f"mailbox[{index}]", "must be a table ([[mailbox]])")
    r = _Reader(path, raw, f"mailbox[{index}].")
    security = r.get("security", str, "tls")
    if security not in SECURITY_MODES:
        raise r.fail("security", f"must be one of {', '.join(SECURITY_MODES)}, got {security!r}")
    host = r.required_str("host")
    if security == "plain" and not _is_loopback(host):
        raise r.fail(
            "security",
            f"plain IMAP is allowed only to a loopback host, not {host!r}; use tls or starttls",
        )
    password_env = r.get("password_env", str, "")
    password_file = r.get("password_file", str, "")
    if "password" in raw:
        raise r.fail(
            "password",
            "passwords never go in the TOML; use password_env or password_file",
        )
    if bool(password_env) == bool(password_file):
        raise r.fail("password_env", "set exactly one of password_env or password_file")
    ca_file = r.get("ca_file", str, "")
    if ca_file and not Path(ca_file).is_file():
        raise r.fail("ca_file", f"file {ca_file!r} does not exist")
    default_port = 993 if security == "tls" else 143
    port = r.positive("port", default_port)
    if port > 65535:
        raise r.fail("port", f"must be at most 65535, got {port}")
    folders = {
        k: r.required_str(k) if k in raw else d
        for k, d in (
            ("folder", "INBOX"),
            ("processed_folder", "Käsitellyt"),
            ("failed_folder", "Virheelliset"),
        )
    }
    if len(set(folders.values())) != 3:
        raise r.fail("processed_folder", "folder, processed_folder and failed_folder must differ")
    settings = MailboxSettings(
        name=r.required_str("name"),
        host=host,
        port=port,
        security=security,
        ca_file=ca_file,
        username=r.required_str("username"),
        password_env=password_env,
        password_file=password_file,
        folder=folders["folder"],
        processed_folder=folders["processed_folder"],
        failed_folder=folders["failed_folder"],
        connect_timeout_seconds=r.get("connect_timeout_seconds", float, 30.0),
        read_timeout_seconds=r.get("read_timeout_seconds", float, 120.0),
        fetch_batch_bytes=r.positive("fetch_batch_bytes", 32 * 1024 * 1024),
        create_missing_folders=r.get("create_missing_folders", bool, True),
    )
    r.check_unknown()
    return settings


def _read_dataclass(path: str, root: Mapping[str, Any], name: str, cls: Callable[..., T]) -> T:
    r = _table(path, root, name)
    defaults = cls()
    values: dict[str, Any] = {}
    for key, default in vars(defaults).items():
        values[key] = (
            r.positive(key, default)
            if isinstance(default, int)
            else r.get(key, type(default), default)
        )
    r.check_unknown()
    return cls(**values)


def parse_settings(document: Mapping[str, Any], path: str, base_dir: Path) -> Settings:
    """Validate a parsed TOML document; relative paths resolve against `base_dir`."""
    top = _Reader(path, document, "")
    for name in (
        "database",
        "storage",
        "schedule",
        "mailbox",
        "limits",
        "photos",
        "health",
        "organisations",
        "senders",
        "retention",
        "logging",
        "processing",
    ):
        top.used.add(name)
    top.check_unknown()

    storage = _table(path, document, "storage")
    data_dir_text = storage.get("data_dir", str, "data")
    data_dir = (base_dir / Path(data_dir_text).expanduser()).resolve()
    fsync = storage.get("fsync", bool, True)
    storage.check_unknown()

    database = _table(path, document, "database")
    url = database.get("url", str, "")
    database.check_unknown()
    if not url:
        url = f"sqlite:///{data_dir / 'practices.db'}"
    elif not url.split(":", 1)[0].startswith(("sqlite", "postgresql")):
        raise ConfigError(path, "database.url", "must be a sqlite:/// or postgresql:// URL")

    schedule = _table(path, document, "schedule")
    interval = schedule.positive("interval_seconds", 300)
    max_backoff = schedule.positive("max_backoff_seconds", 900)
    schedule.check_unknown()

    raw_mailboxes = document.get("mailbox", [])
    if not isinstance(raw_mailboxes, list):
        raise ConfigError(path, "mailbox", "must be an array of tables ([[mailbox]])")
    mailboxes = tuple(_read_mailbox(path, i, m) for i, m in enumerate(raw_mailboxes))
    names = [m.name for m in mailboxes]
    if len(set(names)) != len(names):
        raise ConfigError(path, "mailbox.name", "mailbox names must be unique")

    organisations = document.get("organisations", {})
    if not isinstance(organisations, dict) or not all(
        isinstance(v, str) for v in organisations.values()
    ):
        raise ConfigError(path, "organisations", 'must map domains to names: "vm.fi" = "..."')

    senders = _table(path, document, "senders")
    public_domains = senders.str_list("public_domains")
    own_addresses = tuple(a.lower() for a in senders.str_list("own_addresses"))
    senders.check_unknown()

    retention = _table(path, document, "retention")
    retention_days = retention.positive("days", 365)
    retention.check_unknown()

    processing = _table(path, document, "processing")
    workers = processing.get("workers", int, 0)
    if workers < 0:
        raise processing.fail("workers", f"must be 0 (one per CPU) or more, got {workers}")
    message_timeout = processing.positive("message_timeout_seconds", 300)
    processing.check_unknown()

    logging_table = _table(path, document, "logging")
    level = logging_table.get("level", str, "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise logging_table.fail("level", "must be DEBUG, INFO, WARNING or ERROR")
    logging_table.check_unknown()

    return Settings(
        source=path,
        data_dir=data_dir,
        database_url=url,
        fsync=fsync,
        interval_seconds=interval,
        max_backoff_seconds=max_backoff,
        mailboxes=mailboxes,
        limits=_read_dataclass(path, document, "limits", LimitSettings),
        photos=_read_dataclass(path, document, "photos", PhotoSettings),
        health=_read_dataclass(path, document, "health", HealthSettings),
        organisations={k.lower(): v for k, v in organisations.items()},
        public_domains=tuple(d.lower() for d in public_domains),
        own_addresses=own_addresses,
        retention_days=retention_days,
        log_level=level,
        workers=workers,
        message_timeout_seconds=message_timeout,
    )


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """Load the file named by `path`, else $PRACTICES_CONFIG; fail with ConfigError."""
    chosen = path or os.environ.get(CONFIG_ENV)
    if not chosen:
        raise ConfigError(
            "(no file)", "", f"no configuration given: pass --config FILE or set ${CONFIG_ENV}"
        )
    file = Path(chosen)
    try:
        text = file.read_bytes().decode("utf-8")
    except OSError as exc:
        raise ConfigError(str(file), "", f"cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(str(file), "", "is not UTF-8 text") from exc
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(file), "", f"is not valid TOML: {exc}") from exc
    return parse_settings(document, str(file), file.resolve().parent)
