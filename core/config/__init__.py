"""One TOML file, validated once into typed, immutable settings objects.

Every default lives in exactly one place: the field that declares its key.

- `fields.py`: how a key is declared (`@table`, `setting(default=..., at_least=..., doc=...)`).
- `reader.py`: the one generic reader (and its inverse for `check-config`).
- `tables.py`, `mailbox.py`, `database.py`, `metrics.py`: one `@table` class per TOML table.
- `settings.py`: `Settings`, one field per table.

**Adding a table** (say `[web]`): write `@table class WebSettings` with a `setting(...)` per
key (default, checks, one-line doc), add one field to `Settings`
(`web: WebSettings = field(default_factory=WebSettings)`), and document every key with its
default in `config.example.toml`. Nothing else: reading, type and range checks, refusing
misspelt keys, `check-config` output and the tests that hold `config.example.toml` to the
declarations all follow from the declaration. A bad file fails with the file, the dotted key
and what is wrong (`ConfigError(path, key, problem)`), so `practices` prints one line and exits 2.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from core.access import shared_read_fix
from core.config.database import DatabaseSettings, mask_url
from core.config.fields import Where, setting, table
from core.config.mailbox import SECURITY_MODES, MailboxSettings
from core.config.metrics import MetricsSettings
from core.config.reader import read_table, to_toml
from core.config.settings import Settings
from core.config.tables import (
    HealthSettings,
    LimitSettings,
    PhotoSettings,
    ProcessingSettings,
    StorageSettings,
)
from core.errors import ConfigError

# The names the rest of the code imports; the other tables are in `core.config.tables`.
__all__ = [
    "CONFIG_ENV",
    "SECURITY_MODES",
    "DatabaseSettings",
    "HealthSettings",
    "LimitSettings",
    "MailboxSettings",
    "MetricsSettings",
    "PhotoSettings",
    "ProcessingSettings",
    "Settings",
    "StorageSettings",
    "effective_toml",
    "load_settings",
    "mask_url",
    "parse_settings",
    "setting",
    "table",
]

CONFIG_ENV = "PRACTICES_CONFIG"


def parse_settings(document: Mapping[str, Any], path: str, base_dir: Path) -> Settings:
    """Validate a parsed TOML document; relative paths resolve against `base_dir`."""
    return replace(read_table(Settings, document, Where(path, base_dir)), source=path)


def effective_toml(settings: Settings) -> str:
    """The settings in effect as TOML (every key, its value and meaning), secrets masked."""
    shown = replace(settings, database=DatabaseSettings(url=settings.masked_database_url()))
    return "\n".join(to_toml(shown))


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
        problem = f"cannot read: {exc.strerror}"
        if isinstance(exc, PermissionError):
            problem += f"; {shared_read_fix(file)}"
        raise ConfigError(str(file), "", problem) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(str(file), "", "is not UTF-8 text") from exc
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(file), "", f"is not valid TOML: {exc}") from exc
    return parse_settings(document, str(file), file.resolve().parent)
