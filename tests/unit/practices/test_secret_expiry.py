"""`practices health` and the [oauth2] client secret's expiry date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from core.config.oauth2 import OAuth2Settings
from practices.health import secret_expiry
from tests.configs import parsed_settings

TODAY = date(2026, 11, 30)


def oauth2(expires: str, **keys: object) -> OAuth2Settings:
    table = {
        "tenant": "vm.example",
        "client_id": "app-1",
        "client_secret_env": "SECRET",
        "client_secret_expires": expires,
        "expiry_warning_days": 14,
        **keys,
    }
    return parsed_settings(Path("/tmp"), oauth2=table).oauth2  # type: ignore[arg-type]


def test_a_secret_far_from_expiry_is_quiet() -> None:
    assert secret_expiry(oauth2("2027-06-01"), TODAY) == ("", "")


def test_a_secret_within_the_warning_days_warns_naming_the_date_and_the_fix() -> None:
    problem, warning = secret_expiry(oauth2("2026-12-10"), TODAY)
    assert problem == ""
    assert "expires on 2026-12-10, in 10 day(s)" in warning
    assert "$SECRET" in warning and "client_secret_expires" in warning


def test_an_expired_secret_makes_health_fail() -> None:
    problem, warning = secret_expiry(oauth2("2026-11-29"), TODAY)
    assert "expired on 2026-11-29" in problem
    assert warning == ""


def test_no_date_no_warning() -> None:
    assert secret_expiry(oauth2(""), TODAY) == ("", "")
