"""A tiny builder of RuleContext for the review-rule tests: a good submission, then overrides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest

from ingest.photos.result import PhotoReport
from ingest.rules.base import RuleContext
from ingest.understand.result import Sections, Understanding
from store.repository import DuplicateHit
from tests.mail import parsed_message

ANSWER = "Perustimme asukasraadin, joka kokoontui kuusi kertaa vuoden aikana. " * 2

BuildContext = Callable[..., RuleContext]


def build_context(
    *,
    message: dict[str, Any] | None = None,
    understanding: dict[str, Any] | None = None,
    sections: dict[str, Any] | None = None,
    duplicates: tuple[DuplicateHit, ...] = (),
    public_domains: tuple[str, ...] = (),
) -> RuleContext:
    """A context for a clean, complete submission, with the given fields replaced."""
    parsed = parsed_message(
        message_id="<1@kuopio.fi>",
        subject="Hyvä käytäntö: Asukasraati",
        from_name="Maija Virtanen",
        from_address="maija.virtanen@kuopio.fi",
        headers=(("Subject", "Hyvä käytäntö: Asukasraati"),),
        text_plain=ANSWER,
    )
    parts = Sections(
        what_and_why=ANSWER,
        achieved=ANSWER,
        next_steps=ANSWER,
        more_info="https://www.kuopio.fi/asukasraati",
        headings_found=4,
    )
    understood = Understanding(
        title="Asukasraati",
        organisation="Kuopion kaupunki",
        contact_name="Maija Virtanen",
        contact_email="maija.virtanen@kuopio.fi",
        theme="participation",
        sections=replace(parts, **(sections or {})),
        language="fi",
        field_sources={"organisation": "register:domain"},
    )
    return RuleContext(
        message=replace(parsed, **(message or {})),
        understanding=replace(understood, **(understanding or {})),
        photos=PhotoReport(),
        duplicates=duplicates,
        public_domains=public_domains,
    )


@pytest.fixture
def context() -> BuildContext:
    """The builder itself, so tests say only what differs from a good submission."""
    return build_context
