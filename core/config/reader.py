"""The one reader of the configuration: a TOML table into its `@table` class, key by key.

Every key is read the same way: its TOML type comes from the field's annotation, its default
from the field, its checks from the field's `Key`; a key the table does not declare is refused,
naming it, so a misspelt key never passes silently as its default. Relative paths resolve
against the configuration file's directory.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import MISSING, Field, dataclass, is_dataclass
from pathlib import Path
from typing import Any, TypeVar, cast, get_args, get_origin, get_type_hints

from core.config.fields import METADATA, Key, Where
from core.errors import ConfigError

T = TypeVar("T")

# Keys refused with a reason of their own rather than as a misspelling.
REFUSED_KEYS = {"password": "passwords never go in the TOML; use password_env or password_file"}

_KIND_NAMES = {
    str: "a string",
    int: "a whole number",
    float: "a number",
    bool: "true or false",
    Path: "a path (a string)",
}


@dataclass(frozen=True, slots=True)
class Declared:
    """One key as its table declares it: the field, its TOML name, type and checks."""

    field: Field[Any]
    name: str
    kind: Any
    key: Key | None

    @property
    def required(self) -> bool:
        return self.field.default is MISSING and self.field.default_factory is MISSING

    def default(self) -> Any:
        """The declared default (a fresh one for a factory)."""
        if self.field.default_factory is not MISSING:
            return self.field.default_factory()
        return self.field.default

    @property
    def table_class(self) -> type | None:
        """The `@table` class of a sub-table or array of tables, else None."""
        inner = get_args(self.kind)[0] if get_origin(self.kind) is tuple else self.kind
        return inner if isinstance(inner, type) and is_dataclass(inner) else None

    @property
    def is_array(self) -> bool:
        """Whether the key is an array of tables ([[mailbox]])."""
        return self.table_class is not None and get_origin(self.kind) is tuple


def declared(cls: type) -> Iterator[Declared]:
    """The keys of table `cls` in declaration order; fields that are no key are left out."""
    hints = get_type_hints(cls)
    for f in dataclasses.fields(cls):
        key = f.metadata.get(METADATA)
        entry = Declared(f, key.toml_name or f.name if key else f.name, hints[f.name], key)
        if key is not None or entry.table_class is not None:
            yield entry


def read_table(cls: type[T], raw: Mapping[str, Any], where: Where) -> T:
    """Read table `raw` into `cls`, checking every key; raises ConfigError naming the key."""
    where = dataclasses.replace(where, given=frozenset(raw))
    unknown = sorted(set(raw) - {entry.name for entry in declared(cls)})
    if unknown:
        problem = "unknown key (check its spelling in config.example.toml)"
        raise where.fail(unknown[0], REFUSED_KEYS.get(unknown[0], problem))
    values: dict[str, Any] = {}
    for entry in declared(cls):
        if entry.name in raw:
            values[entry.field.name] = _value(entry, raw[entry.name], where)
        elif entry.table_class is not None and not entry.is_array:
            values[entry.field.name] = read_table(entry.table_class, {}, where.inside(entry.name))
        elif entry.required:
            raise where.fail(entry.name, "is required")
        elif entry.kind is Path:
            values[entry.field.name] = _path(entry.default(), where)
    result = cls(**values)
    check = getattr(result, "checked", None)
    return cast(T, check(where)) if check is not None else result


def _value(entry: Declared, value: object, where: Where) -> Any:
    """One key's value from the file, converted to its declared type and checked."""
    name, table_class = entry.name, entry.table_class
    if table_class is not None and entry.is_array:
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise where.fail(name, f"must be an array of tables ([[{name}]])")
        return tuple(
            read_table(table_class, item, where.inside(f"{name}[{index}]"))
            for index, item in enumerate(value)
        )
    if table_class is not None:
        if not isinstance(value, dict):
            raise where.fail(name, f"must be a table ([{name}])")
        return read_table(table_class, value, where.inside(name))
    assert entry.key is not None  # `declared` yields only tables and keys
    if get_origin(entry.kind) in (tuple, Mapping):
        return _collection(entry.kind, entry.key, value, where.fail, name)
    return _scalar(entry.kind, entry.key, value, where, name)


def _collection(
    kind: Any, key: Key, value: object, fail: Callable[[str, str], ConfigError], name: str
) -> Any:
    """A list of strings, or a table of strings (`[organisations]`)."""
    if get_origin(kind) is tuple:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise fail(name, f"must be a list of strings, got {value!r}")
        return tuple(_case(item, key) for item in value)
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise fail(name, f'must be a table of strings ([{name}] "key" = "text")')
    return {_case(text, key): item for text, item in value.items()}


def _scalar(kind: Any, key: Key, value: object, where: Where, name: str) -> Any:
    """A string, number, boolean or path, in its declared range or choices."""
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    wanted = str if kind is Path else kind
    if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
        raise where.fail(name, f"must be {_KIND_NAMES.get(kind, str(kind))}, got {value!r}")
    if isinstance(value, str):
        value = _case(value, key)
    problem = key.problem(value)
    if problem:
        raise where.fail(name, problem)
    return _path(value, where) if kind is Path else value


def _case(text: str, key: Key) -> str:
    if key.case == "lower":
        return text.lower()
    return text.upper() if key.case == "upper" else text


def _path(value: str | Path, where: Where) -> Path:
    """A path from the file: `~` expanded, relative ones taken from the file's directory."""
    return (where.base_dir / Path(value).expanduser()).resolve()


def to_toml(settings: object) -> Iterator[str]:
    """The lines of a TOML file that `read_table` reads back to `settings`, each key followed
    by its meaning as a comment; the inverse of the reader, for `check-config`."""
    later: list[str] = []
    for entry in declared(type(settings)):
        value = getattr(settings, entry.field.name)
        if entry.is_array:
            for item in value:
                later += ["", f"[[{entry.name}]]", *to_toml(item)]
        elif entry.table_class is not None:
            later += ["", f"[{entry.name}]", *to_toml(value)]
        elif isinstance(value, Mapping):
            later += ["", f"[{entry.name}]" + _comment(entry)]
            later += [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()]
        else:
            yield f"{entry.name} = {_toml_value(value)}{_comment(entry)}"
    yield from later


def _comment(entry: Declared) -> str:
    return f"  # {entry.key.doc}" if entry.key and entry.key.doc else ""


def _toml_key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _toml_value(name)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    # A JSON string is a TOML basic string: the same escapes, \uXXXX included.
    return json.dumps(str(value), ensure_ascii=False)
