"""`Settings`: the whole configuration, one field per TOML table, validated once and passed down.

The code reads a few keys by the flat names it has always used (`settings.interval_seconds`,
`settings.data_dir`, ...); each such name is an `_Alias` of the key in its table, so a value
still lives in exactly one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, replace
from pathlib import Path
from typing import Any, Generic, TypeVar, overload

from core.config.database import DatabaseSettings, mask_url
from core.config.fields import Where, setting, table
from core.config.mailbox import MailboxSettings
from core.config.mailout import (
    AcknowledgementSettings,
    AlertSettings,
    DigestSettings,
    OutboxSettings,
    PublishingSettings,
)
from core.config.metrics import MetricsSettings
from core.config.oauth2 import OAuth2Settings
from core.config.smtp import SmtpSettings
from core.config.tables import (
    HealthSettings,
    LimitSettings,
    LoggingSettings,
    PhotoSettings,
    ProcessingSettings,
    RetentionSettings,
    ScheduleSettings,
    SenderSettings,
    StorageSettings,
)
from core.config.web import WebSettings

T = TypeVar("T")


class _Alias(Generic[T]):
    """A flat, read-only name for the key `key` of the table field `table`."""

    def __init__(self, table: str, key: str = "") -> None:
        self.table = table
        self.key = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = self.key or name

    @overload
    def __get__(self, instance: None, owner: type) -> _Alias[T]: ...
    @overload
    def __get__(self, instance: object, owner: type) -> T: ...
    def __get__(self, instance: object, owner: type) -> Any:
        if instance is None:
            return self
        return getattr(getattr(instance, self.table), self.key)


@table
class Settings:
    """The validated configuration file; `source` names the file it was read from.

    A new table is one `@table` class (in `tables.py` or a module of its own) plus one field
    here; the reader, `check-config` and the tests that compare `config.example.toml` with the
    declarations pick it up from that field.
    """

    source: str = ""
    database: DatabaseSettings = field(default_factory=DatabaseSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    mailboxes: tuple[MailboxSettings, ...] = setting(
        default=(), toml_name="mailbox", doc="the IMAP mailboxes to watch"
    )
    limits: LimitSettings = field(default_factory=LimitSettings)
    photos: PhotoSettings = field(default_factory=PhotoSettings)
    health: HealthSettings = field(default_factory=HealthSettings)
    senders: SenderSettings = field(default_factory=SenderSettings)
    retention: RetentionSettings = field(default_factory=RetentionSettings)
    processing: ProcessingSettings = field(default_factory=ProcessingSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    oauth2: OAuth2Settings = field(default_factory=OAuth2Settings)
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    acknowledgements: AcknowledgementSettings = field(default_factory=AcknowledgementSettings)
    publishing: PublishingSettings = field(default_factory=PublishingSettings)
    digest: DigestSettings = field(default_factory=DigestSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    web: WebSettings = field(default_factory=WebSettings)
    metrics: MetricsSettings = field(default_factory=MetricsSettings)
    organisations: Mapping[str, str] = setting(
        default_factory=dict, case="lower", doc="sender domain -> organisation name"
    )

    data_dir = _Alias[Path]("storage")
    fsync = _Alias[bool]("storage")
    interval_seconds = _Alias[int]("schedule")
    max_backoff_seconds = _Alias[int]("schedule")
    public_domains = _Alias[tuple[str, ...]]("senders")
    own_addresses = _Alias[tuple[str, ...]]("senders")
    retention_days = _Alias[int]("retention", "days")
    workers = _Alias[int]("processing")
    message_timeout_seconds = _Alias[int]("processing")
    log_level = _Alias[str]("logging", "level")
    log_format = _Alias[str]("logging", "format")

    @property
    def database_url(self) -> str:
        """The configured URL, or SQLite at practices.db inside data_dir when none is."""
        return self.database.url or f"sqlite:///{self.data_dir / 'practices.db'}"

    def masked_database_url(self) -> str:
        """The database URL with its password and secret-looking query values masked."""
        return mask_url(self.database_url)

    def checked(self, where: Where) -> Settings:
        """Mailbox names must be unique (each is the key stored on its messages); a mailbox or
        [smtp] with `auth = "oauth2"` needs [oauth2], and is linked to it."""
        names = [mailbox.name for mailbox in self.mailboxes]
        if len(set(names)) != len(names):
            raise where.fail("mailbox.name", "mailbox names must be unique")
        users = [f"mailbox[{i}]" for i, m in enumerate(self.mailboxes) if m.auth == "oauth2"]
        if self.smtp.enabled and self.smtp.auth == "oauth2":
            users.append("smtp")
        if users and not self.oauth2.enabled:
            raise where.fail(
                f"{users[0]}.auth", 'is "oauth2" but [oauth2] has no client_id and tenant'
            )
        return replace(
            self,
            mailboxes=tuple(replace(m, oauth2=self.oauth2) for m in self.mailboxes),
            smtp=replace(self.smtp, oauth2=self.oauth2),
        )
