"""Every key the configuration declares, walked from `Settings`, for tests over all of them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from core.config import Settings
from core.config.reader import Declared, declared


@dataclass(frozen=True)
class DeclaredKey:
    """One leaf key: where it stands in the file and where its value lands in `Settings`."""

    toml: tuple[str, ...]  # ("mailbox", "port")
    attrs: tuple[str, ...]  # ("mailboxes", "port"): an array of tables is read at [0]
    entry: Declared

    @property
    def dotted(self) -> str:
        return ".".join(self.toml)

    def read_back(self, settings: Settings) -> Any:
        """The value the key has in `settings` (the first table of an array)."""
        value: Any = settings
        for attr in self.attrs:
            value = getattr(value, attr)
            if isinstance(value, tuple) and value and not isinstance(value[0], str):
                value = value[0]
        return value


def all_keys(
    cls: type = Settings, toml: tuple[str, ...] = (), attrs: tuple[str, ...] = ()
) -> Iterator[DeclaredKey]:
    """Every leaf key under table `cls`, in declaration order."""
    for entry in declared(cls):
        where = ((*toml, entry.name), (*attrs, entry.field.name))
        if entry.table_class is not None:
            yield from all_keys(entry.table_class, *where)
        else:
            yield DeclaredKey(*where, entry)


def table_classes(cls: type = Settings) -> Iterator[tuple[tuple[str, ...], type]]:
    """Every `@table` class with its place in the file; the root `Settings` first, at ()."""
    yield (), cls
    for entry in declared(cls):
        if entry.table_class is not None:
            for place, inner in table_classes(entry.table_class):
                yield (entry.name, *place), inner
