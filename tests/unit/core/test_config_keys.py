"""Every declared key is read into its field, checked as declared, and nothing else is accepted."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings, parse_settings
from core.config.fields import LINKED
from core.config.reader import declared
from core.errors import ConfigError
from tests.unit.core.declarations import DeclaredKey, all_keys, table_classes

KEYS = list(all_keys())
FILE = "/etc/practice-inbox/config.toml"
MAILBOX = {"name": "a", "host": "imap.example.fi", "username": "u", "password_env": "PW"}


def parse(document: Mapping[str, Any], base_dir: Path = Path("/etc/practice-inbox")) -> Settings:
    return parse_settings({"mailbox": [MAILBOX], **document}, FILE, base_dir)


# Keys that are valid only together with others, and those others (one value each).
SMTP_ON = {"host": "smtp.example.fi", "from_address": "avoinhallinto@vm.fi"}
COMPANIONS: dict[str, dict[str, Any]] = {
    "smtp.host": {"from_address": "avoinhallinto@vm.fi"},
    "smtp.from_address": {"host": "smtp.example.fi"},
    "smtp.reply_to": SMTP_ON,
    "smtp.username": {**SMTP_ON, "password_env": "PW"},
    "smtp.password_env": {**SMTP_ON, "username": "u"},
    "smtp.password_file": {**SMTP_ON, "username": "u"},
    "publishing.notify_submitter": {"base_url": "https://avoinhallinto.fi/kokemukset"},
    "oauth2.client_id": {"tenant": "vm.fi", "client_secret_env": "SECRET"},
}
OAUTH2_ON = {"client_id": "c1d2", **COMPANIONS["oauth2.client_id"]}


def with_key(key: DeclaredKey, value: Any) -> dict[str, Any]:
    """A document that sets `key` (in the one [[mailbox]] for a mailbox key) to `value`, with
    the keys it needs beside it (`COMPANIONS`)."""
    if key.toml[0] == "mailbox":
        mailbox = {**MAILBOX, key.toml[1]: value}
        if key.toml[1] == "password_file":
            del mailbox["password_env"]
        if key.toml[1] == "auth":  # oauth2: no password, and the [oauth2] application
            del mailbox["password_env"]
            return {"mailbox": [mailbox], "oauth2": OAUTH2_ON}
        return {"mailbox": [mailbox]}
    if len(key.toml) == 1:
        return {key.toml[0]: value}
    return {key.toml[0]: {**COMPANIONS.get(key.dotted, {}), key.toml[1]: value}}


def other_value(key: DeclaredKey, tmp_path: Path) -> Any:
    """A valid value for `key` that is not its default."""
    special = {
        "database.url": "sqlite:////srv/other.db",
        "mailbox.ca_file": str(tmp_path / "ca.pem"),
        "storage.data_dir": "elsewhere",
        "outbox.templates_dir": str(tmp_path),
        "smtp.ca_file": str(tmp_path / "ca.pem"),
        "smtp.from_address": "kirjaamo@vm.fi",
        "smtp.reply_to": "toimitus@vm.fi",
        "publishing.base_url": "https://avoinhallinto.fi/kokemukset",
        "publishing.newsletter_from": "Avoin hallinto <uutiskirje@vm.fi>",
        "publishing.newsletter_to": "tilaajat@lists.vm.fi",
        "publishing.unsubscribe_url": "https://avoinhallinto.fi/uutiskirje/peru",
        "web.public_url": "https://toimitus.avoinhallinto.fi",
        "digest.time": "07:30",
        "metrics.bind": "[::1]:9100",
        "web.bind": "0.0.0.0:8181",
        "web.base_path": "/toimitus",
        "web.trusted_proxies": ["127.0.0.1", "10.0.0.0/8"],
    }
    if key.dotted in special:
        return special[key.dotted]
    check = key.entry.key
    assert check is not None
    default = None if key.entry.required else key.entry.default()
    if check.choices:
        return next(choice for choice in check.choices if choice != default)
    if isinstance(default, bool):
        return not default
    if isinstance(default, int | float):
        bigger = default + 1
        return default - 1 if check.at_most is not None and bigger > check.at_most else bigger
    if isinstance(default, tuple):
        return ["x.example"]
    if isinstance(default, dict):
        return {"x.example": "X"}
    return f"{default or 'other'}-changed"


def expected(key: DeclaredKey, value: Any, base_dir: Path) -> Any:
    if key.entry.kind is Path:
        return base_dir / value
    return tuple(value) if isinstance(value, list) else value


@pytest.mark.parametrize("key", KEYS, ids=lambda key: key.dotted)
def test_every_key_is_read_into_its_field(key: DeclaredKey, tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("not checked here")
    value = other_value(key, tmp_path)
    settings = parse(with_key(key, value), tmp_path)
    assert key.read_back(settings) == expected(key, value, tmp_path)


@pytest.mark.parametrize("cls", [cls for _place, cls in table_classes()], ids=lambda c: c.__name__)
def test_every_field_of_a_table_is_a_key_or_a_table(cls: type) -> None:
    read = {entry.field.name for entry in declared(cls)}
    linked = {f.name for f in dataclasses.fields(cls) if f.metadata.get(LINKED)}
    not_read = {f.name for f in dataclasses.fields(cls)} - read - linked
    assert not_read == ({"source"} if cls is Settings else set())


@pytest.mark.parametrize("place", [place for place, _cls in table_classes() if place], ids=".".join)
def test_a_misspelt_key_is_refused_naming_it(place: tuple[str, ...]) -> None:
    first = next(key for key in KEYS if key.toml[:-1] == place)
    typo = f"{first.toml[-1]}s"
    with pytest.raises(ConfigError) as caught:
        parse(with_key(dataclasses.replace(first, toml=(*place, typo)), 1))
    assert caught.value.path == FILE
    assert caught.value.key.endswith(f".{typo}")
    assert "unknown key" in caught.value.problem


def test_an_unknown_table_is_refused() -> None:
    with pytest.raises(ConfigError) as caught:
        parse({"photo": {"quality": 80}})
    assert caught.value.key == "photo"


def _outside(key: DeclaredKey) -> list[tuple[Any, str]]:
    check = key.entry.key
    assert check is not None
    cases: list[tuple[Any, str]] = []
    if check.at_least is not None:
        cases.append((int(check.at_least) - 1, f"at least {check.at_least:g}"))
    if check.above is not None:
        cases.append((check.above, f"more than {check.above:g}"))
    if check.at_most is not None:
        cases.append((int(check.at_most) + 1, f"at most {check.at_most:g}"))
    return cases


BOUNDS = [(key, value, words) for key in KEYS if key.entry.key for value, words in _outside(key)]


@pytest.mark.parametrize(
    ("key", "value", "words"), BOUNDS, ids=[f"{k.dotted}={v}" for k, v, _ in BOUNDS]
)
def test_every_declared_bound_is_enforced_naming_the_key(
    key: DeclaredKey, value: Any, words: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(with_key(key, value))
    dotted = key.dotted.replace("mailbox.", "mailbox[0].")
    assert (caught.value.path, caught.value.key) == (FILE, dotted)
    assert words in caught.value.problem
