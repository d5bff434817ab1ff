"""How one configuration key is declared: its default, its checks and its meaning, once.

A TOML table is a class decorated with `@table` (a frozen dataclass); each field is one key:

    quality: int = setting(default=85, at_least=1, at_most=95, doc="JPEG quality of derivatives")

The reader (`core.config.reader`) takes the key's type from the annotation, its default from the
field and its checks from the `Key` kept in the field's metadata, so nothing about a key is
written twice. A `setting` without `default` or `default_factory` is a required key. A table
whose keys depend on each other adds a `checked(self, where) -> Self` method, which the reader
calls once every key is read and known; it names the key at fault with `where.fail`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, TypeVar, dataclass_transform

from core.errors import ConfigError

T = TypeVar("T")

# The key under which `setting` stores its `Key` in a dataclass field's metadata.
METADATA = "practices.config"
# Marks a field that is no key: a value the configuration links in after reading (`link`).
LINKED = "practices.linked"


@dataclass(frozen=True, slots=True)
class Key:
    """Everything the reader must know of one key besides its type and default."""

    doc: str
    toml_name: str = ""
    at_least: float | None = None
    above: float | None = None
    at_most: float | None = None
    choices: tuple[str, ...] = ()
    case: Literal["", "lower", "upper"] = ""
    not_blank: bool = False

    def problem(self, value: object) -> str:
        """What is wrong with `value` (already of the right type), or "" when nothing is."""
        if isinstance(value, str):
            if self.not_blank and not value.strip():
                return "must not be empty"
            if self.choices and value not in self.choices:
                return f"must be one of {', '.join(self.choices)}, got {value!r}"
        if isinstance(value, int | float) and not isinstance(value, bool):
            if self.at_least is not None and value < self.at_least:
                return f"must be at least {self.at_least:g}, got {value}"
            if self.above is not None and value <= self.above:
                return f"must be more than {self.above:g}, got {value}"
            if self.at_most is not None and value > self.at_most:
                return f"must be at most {self.at_most:g}, got {value}"
        return ""


def setting(
    *,
    doc: str,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    toml_name: str = "",
    at_least: float | None = None,
    above: float | None = None,
    at_most: float | None = None,
    choices: tuple[str, ...] = (),
    case: Literal["", "lower", "upper"] = "",
    not_blank: bool = False,
) -> Any:
    """Declare one key of a `@table` class (see the module docstring)."""
    key = Key(doc, toml_name, at_least, above, at_most, choices, case, not_blank)
    return field(default=default, default_factory=default_factory, metadata={METADATA: key})


def link(*, default: None = None) -> Any:
    """Declare a field that is not read from the table but filled in by `Settings.checked`
    from another table (a mailbox's [oauth2]), so whoever holds the table has all it needs."""
    return field(default=default, repr=False, compare=False, metadata={LINKED: True})


@dataclass_transform(frozen_default=True, field_specifiers=(setting, link, field))
def table(cls: type[T]) -> type[T]:
    """Make `cls` a frozen dataclass whose fields are the keys of one TOML table."""
    return dataclass(frozen=True)(cls)


@dataclass(frozen=True, slots=True)
class Where:
    """The file and the table being read, so that every error names the file and dotted key."""

    path: str
    base_dir: Path
    prefix: str = ""
    given: frozenset[str] = frozenset()

    def key(self, name: str) -> str:
        """The dotted key of `name` in this table: `photos.quality`, `mailbox[0].port`."""
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> ConfigError:
        """The error for key `name` of this table, to be raised by the caller."""
        return ConfigError(self.path, self.key(name), problem)

    def inside(self, name: str) -> Where:
        """The place of the table `name` within this one."""
        return replace(self, prefix=f"{self.prefix}{name}.", given=frozenset())
