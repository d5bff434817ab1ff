"""[smtp]: mail out is off without a host; with one, a From address, TLS and one password source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.config import Settings, parse_settings
from core.errors import ConfigError

ON = {"host": "smtp.example.fi", "from_address": "avoinhallinto@vm.fi"}


def smtp(**keys: Any) -> Settings:
    return parse_settings({"smtp": {**ON, **keys}}, "/etc/p.toml", Path("/etc"))


def refused(**keys: Any) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        smtp(**keys)
    return caught.value


def test_without_a_host_mail_out_is_off() -> None:
    assert not parse_settings({}, "/etc/p.toml", Path("/etc")).smtp.enabled


def test_the_port_follows_the_security_unless_given() -> None:
    assert smtp().smtp.port == 587
    assert smtp(security="tls").smtp.port == 465
    assert smtp(security="tls", port=2465).smtp.port == 2465


def test_a_host_needs_a_from_address() -> None:
    assert refused(from_address="").key == "smtp.from_address"


def test_plain_smtp_is_refused_except_to_loopback() -> None:
    assert refused(security="plain").key == "smtp.security"
    assert smtp(security="plain", host="127.0.0.1").smtp.port == 25


def test_a_login_needs_exactly_one_password_source_and_a_password_needs_a_login() -> None:
    assert refused(username="u").key == "smtp.password_env"
    assert refused(username="u", password_env="A", password_file="/f").key == "smtp.password_env"
    assert refused(password_env="A").key == "smtp.username"


def test_the_password_is_never_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMTP_PW", "hunter2")
    settings = smtp(username="u", password_env="SMTP_PW").smtp
    assert settings.password() == "hunter2"
    assert "hunter2" not in settings.describe_password() + repr(settings)
