"""[web]: bind, base path, proxies and the console's address are checked when read."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from tests.configs import parsed_settings


def test_the_defaults_listen_on_loopback_with_secure_cookies(tmp_path: Path) -> None:
    web = parsed_settings(tmp_path).web
    assert web.host_port() == ("127.0.0.1", 8080)
    assert (web.base_path, web.secure_cookies, web.trusted_proxies) == ("", True, ())


def test_a_base_path_loses_its_trailing_slash_and_ipv6_binds_read(tmp_path: Path) -> None:
    web = parsed_settings(tmp_path, web={"base_path": "/toimitus/", "bind": "[::1]:9000"}).web
    assert (web.base_path, web.host_port()) == ("/toimitus", ("::1", 9000))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("bind", "localhost"),
        ("bind", "127.0.0.1:99999"),
        ("base_path", "toimitus"),
        ("trusted_proxies", ["nginx"]),
        ("public_url", "toimitus.example.fi"),
    ],
)
def test_a_bad_value_is_refused_naming_the_key(tmp_path: Path, key: str, value: object) -> None:
    with pytest.raises(ConfigError, match=f"web.{key}"):
        parsed_settings(tmp_path, web={key: value})  # type: ignore[dict-item]
