"""A database URL is printed with every secret-looking part masked, the rest left readable."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import mask_url
from practices.cli import main
from tests.configs import write_config

URL = "postgresql+psycopg://u:pw@h/db?password=x&sslkey=/etc/k.pem&application_name=ok"


def test_check_config_masks_the_password_and_secret_query_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path / "config.toml", database={"url": URL})
    assert main(["--config", str(config), "check-config"]) == 0
    out = capsys.readouterr().out
    assert "u:***@h/db" in out
    assert "password=***" in out and "sslkey=***" in out
    assert "application_name=ok" in out
    assert ":pw@" not in out and "password=x" not in out and "k.pem" not in out


@pytest.mark.parametrize(
    "name", ["password", "sslpassword", "passfile", "token", "api_key", "client_secret", "AUTH"]
)
def test_a_query_parameter_named_like_a_secret_is_masked(name: str) -> None:
    assert mask_url(f"postgresql://h/db?{name}=s3cret") == f"postgresql://h/db?{name}=***"


def test_ordinary_parts_stay_readable() -> None:
    url = "postgresql+psycopg://editor@db.example.fi:5433/practices?sslmode=verify-full"
    assert mask_url(url) == url


def test_a_url_that_cannot_be_parsed_is_not_shown() -> None:
    assert "s3cret" not in mask_url("postgresql:s3cret")
