"""The tables of the configuration file, one `@table` class each, every key declared once.

Each key's long explanation is in `config.example.toml`; `doc` here is the one-line meaning that
`check-config` prints beside its value. [[mailbox]] lives in `core.config.mailbox`,
[database] in `core.config.database`.
"""

from __future__ import annotations

from pathlib import Path

from core.config.fields import setting, table

MIB = 1024 * 1024
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")


@table
class StorageSettings:
    """[storage]: the data directory of raw messages, photos and the default SQLite file."""

    data_dir: Path = setting(
        default=Path("data"), not_blank=True, doc="raw messages, photos and SQLite live here"
    )
    fsync: bool = setting(default=True, doc="fsync archived files before their rows commit")


@table
class ScheduleSettings:
    """[schedule]: how often each mailbox is polled, and how patiently a failing one is retried."""

    interval_seconds: int = setting(default=300, at_least=1, doc="seconds between polls")
    max_backoff_seconds: int = setting(default=900, at_least=1, doc="longest wait between retries")
    idle_renew_seconds: int = setting(
        default=1500, at_least=1, at_most=1740, doc="IDLE is re-issued this often (under 29 min)"
    )
    idle_noop_seconds: int = setting(
        default=60, at_least=1, doc="without IDLE, a NOOP asks for new mail this often"
    )


@table
class LimitSettings:
    """[limits]: bounds that keep one hostile message from costing unbounded time or memory."""

    max_message_bytes: int = setting(
        default=60 * MIB, at_least=1, doc="larger messages are recorded failed, not fetched"
    )
    max_parsed_bytes: int = setting(
        default=16 * MIB, at_least=1, doc="bytes of a message the MIME parser reads"
    )
    max_parts: int = setting(default=500, at_least=1, doc="MIME parts kept per message")
    max_nesting_depth: int = setting(default=20, at_least=1, doc="nested messages followed")
    max_document_bytes: int = setting(
        default=25 * MIB, at_least=1, doc="attached documents larger than this are not read"
    )
    max_document_chars: int = setting(
        default=400_000, at_least=1, doc="characters extracted from one document"
    )
    max_uncompressed_bytes: int = setting(
        default=100 * MIB, at_least=1, doc="zip expansion allowed for .docx and .odt"
    )
    max_pdf_pages: int = setting(default=200, at_least=1, doc="PDF pages read")
    max_document_elements: int = setting(
        default=200_000, at_least=1, doc="XML elements read from one .docx or .odt"
    )
    max_document_seconds: int = setting(
        default=10, at_least=1, doc="seconds spent reading one document; over it, skipped"
    )


@table
class PhotoSettings:
    """[photos]: how photos become web derivatives, and the limits on what is decoded at all."""

    web_size: int = setting(default=1600, at_least=1, doc="long side of the web JPEG, pixels")
    thumbnail_size: int = setting(default=400, at_least=1, doc="long side of the thumbnail")
    quality: int = setting(default=85, at_least=1, at_most=95, doc="JPEG quality (1-95)")
    max_image_bytes: int = setting(default=40 * MIB, at_least=1, doc="larger images are rejected")
    max_image_pixels: int = setting(
        default=80_000_000, at_least=1, doc="images with more pixels are rejected"
    )
    max_images: int = setting(default=30, at_least=1, doc="images handled per message")
    max_frames: int = setting(default=500, at_least=1, doc="frames read from an animated image")
    signature_max_bytes: int = setting(
        default=15_000, at_least=1, doc="images this small (bytes) count as signature logos"
    )
    signature_max_side: int = setting(
        default=250, at_least=1, doc="images this small (longest side) count as logos"
    )
    max_image_seconds: int = setting(
        default=10, at_least=1, doc="CPU seconds spent reading one image; over it, rejected"
    )


@table
class HealthSettings:
    """[health]: when `practices health` calls the service unhealthy."""

    max_poll_age_intervals: int = setting(
        default=3, at_least=1, doc="intervals since the last successful poll"
    )
    max_consecutive_failures: int = setting(default=5, at_least=1, doc="failed cycles in a row")
    max_failed_messages: int = setting(
        default=0, at_least=0, doc="failed messages waiting for `practices retry`"
    )


@table
class SenderSettings:
    """[senders]: who counts as public sector, and which addresses are our own."""

    public_domains: tuple[str, ...] = setting(
        default=(), case="lower", doc="fnmatch patterns of public-sector domains; empty: no check"
    )
    own_addresses: tuple[str, ...] = setting(
        default=(), case="lower", doc="mail from these addresses is ignored"
    )
    ack_only_known_domains: bool = setting(
        default=False, doc="acknowledge only senders in public_domains"
    )


@table
class RetentionSettings:
    """[retention]: how long `practices purge` keeps raw mail and contacts of discarded items."""

    days: int = setting(default=365, at_least=1, doc="default age for `practices purge`")


@table
class ProcessingSettings:
    """[processing]: the worker processes that interpret messages."""

    workers: int = setting(default=0, at_least=0, doc="worker processes; 0: one per CPU core")
    message_timeout_seconds: int = setting(
        default=300, at_least=1, doc="a message interpreted longer than this is recorded failed"
    )


@table
class LoggingSettings:
    """[logging]: what goes to stderr."""

    level: str = setting(default="INFO", case="upper", choices=LOG_LEVELS, doc="log level")
    format: str = setting(
        default="text",
        case="lower",
        choices=LOG_FORMATS,
        doc="text (for people) | json (one object per line, for log collectors)",
    )
