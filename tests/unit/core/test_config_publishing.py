"""[publishing]: web addresses where they must be, e-mail addresses where they must be, a known
way for newsletter photos to travel, and page addresses as the site export names its pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.config import Settings, parse_settings
from core.errors import ConfigError


def publishing(**keys: Any) -> Settings:
    return parse_settings({"publishing": keys}, "/etc/p.toml", Path("/etc"))


def refused(**keys: Any) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        publishing(**keys)
    return caught.value


@pytest.mark.parametrize("key", ["base_url", "unsubscribe_url"])
def test_addresses_on_the_web_must_be_http_or_https(key: str) -> None:
    assert refused(**{key: "ftp://avoinhallinto.fi"}).key == f"publishing.{key}"
    assert getattr(publishing(**{key: "https://avoinhallinto.fi/x"}).publishing, key)


@pytest.mark.parametrize("key", ["newsletter_from", "newsletter_to"])
def test_newsletter_addresses_must_be_e_mail_addresses(key: str) -> None:
    problem = refused(**{key: "Avoin hallinto"})
    assert problem.key == f"publishing.{key}" and "e-mail" in problem.problem


def test_newsletter_images_go_by_url_or_content_id_only() -> None:
    assert publishing().publishing.newsletter_images == "url"
    assert publishing(newsletter_images="cid").publishing.newsletter_images == "cid"
    assert refused(newsletter_images="base64").key == "publishing.newsletter_images"


def test_a_page_address_is_the_exported_file() -> None:
    settings = publishing(base_url="https://avoinhallinto.fi/kokemukset/")
    assert settings.publishing.page_url("7-selko") == (
        "https://avoinhallinto.fi/kokemukset/7-selko.html"
    )
