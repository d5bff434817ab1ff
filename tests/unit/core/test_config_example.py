"""config.example.toml and the declarations in core.config agree on every key and its default."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.unit.core.declarations import DeclaredKey, all_keys

EXAMPLE = Path(__file__).resolve().parents[3] / "config.example.toml"
TEXT = EXAMPLE.read_text(encoding="utf-8")
DOCUMENT = tomllib.loads(TEXT)
KEYS = list(all_keys())

# Keys whose value in the example is not the code's default, and why the example shows another.
EXAMPLE_ONLY = {
    "storage.data_dir": "the production path from the README; the default, data/ beside the "
    "file, suits a checkout, the tests and the demo",
    "mailbox.password_env": "exactly one of password_env and password_file must be set, so "
    "neither can default to a value",
    "mailbox.password_file": "shown commented out, since only one of the two may be set",
    "senders.public_domains": "Finland's public-sector domains; with none (the default) the "
    "check is off, which suits other deployments and the tests",
    "senders.own_addresses": "the programme's own address; nothing is ours by default",
    "mailbox.sent_folder": "a deployment's folder of sent mail; copies are off by default",
    "mailbox.create_missing_folders": "a first install from the example creates its folders "
    "(issue 17: the example works unchanged); the default refuses, so a mistyped name in a "
    "hand-written file is an error, not a new folder",
    "smtp.host": "a deployment's server; with none (the default) mail out is off",
    "smtp.username": "a deployment's login; the default logs in to no one (a trusting relay)",
    "smtp.password_env": "set only with a username, so it cannot default to a value",
    "smtp.password_file": "shown commented out, since only one of the two may be set",
    "smtp.from_address": "the programme's address; required once host is set, none by default",
    "organisations": "a sample of public bodies; the code cannot know an operator's list",
}


def example_value(key: DeclaredKey) -> Any:
    """The key's value in the example (the first [[mailbox]]); KeyError when it is absent."""
    value: Any = DOCUMENT
    for name in key.toml:
        value = value[name]
        if isinstance(value, list) and value and isinstance(value[0], dict):
            value = value[0]
    return value


def line_of(key: DeclaredKey) -> str:
    """The example's line that sets the key (commented out or not), or opens its table."""
    name = re.escape(key.toml[-1])
    opens_table = isinstance(key.entry.default(), dict)
    pattern = rf"^\[{name}\].*$" if opens_table else rf"^(# )?{name} = .*$"
    found = re.search(pattern, table_text(key.toml[:-1]), re.MULTILINE)
    assert found, f"config.example.toml does not name {key.dotted}"
    return found.group()


def table_text(place: tuple[str, ...]) -> str:
    """The example's lines of the table at `place` (a key name may recur in other tables)."""
    if not place:
        return TEXT
    opening = re.search(rf"^\[\[?{re.escape(place[0])}\]\]?", TEXT, re.MULTILINE)
    assert opening, f"config.example.toml has no table {place[0]}"
    following = re.search(r"^\[", TEXT[opening.end() :], re.MULTILINE)
    return TEXT[opening.start() : opening.end() + following.start() if following else None]


def value_on_line(key: DeclaredKey) -> Any:
    """The value the example shows for the key, even where its line is commented out."""
    line = line_of(key)
    if line.startswith("["):
        return DOCUMENT[key.toml[-1]]
    return tomllib.loads(line.removeprefix("# "))[key.toml[-1]]


def comparable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return str(value) if isinstance(value, Path) else value


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.dotted)
def test_the_example_names_every_key(key: DeclaredKey) -> None:
    assert value_on_line(key) is not None


@pytest.mark.parametrize(
    "key",
    [k for k in KEYS if not k.entry.required and k.dotted not in EXAMPLE_ONLY],
    ids=lambda key: key.dotted,
)
def test_the_example_shows_the_real_default(key: DeclaredKey) -> None:
    assert comparable(example_value(key)) == comparable(key.entry.default())


@pytest.mark.parametrize("dotted", sorted(EXAMPLE_ONLY))
def test_an_example_only_value_is_marked_and_is_not_the_default(dotted: str) -> None:
    [key] = [k for k in KEYS if k.dotted == dotted]
    assert "example value" in line_of(key)
    assert comparable(value_on_line(key)) != comparable(key.entry.default())


@pytest.mark.parametrize("key", [k for k in KEYS if k.entry.required], ids=lambda k: k.dotted)
def test_a_required_key_is_marked_required(key: DeclaredKey) -> None:
    assert "# required" in line_of(key)
