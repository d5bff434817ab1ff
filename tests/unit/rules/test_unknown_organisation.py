"""The unknown-organisation rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.unknown_organisation import UnknownOrganisation

Build = Callable[..., RuleContext]


@pytest.mark.parametrize(
    "source", ["register:signature", "register:domain", "register:text", "config:domain"]
)
def test_passes_an_organisation_from_the_register_or_the_configuration(
    context: Build, source: str
) -> None:
    built = context(understanding={"field_sources": {"organisation": source}})
    assert UnknownOrganisation().check(built) is None


def test_flags_an_organisation_read_only_from_a_signature_line(context: Build) -> None:
    built = context(
        understanding={
            "organisation": "Pohjolan Kehitysyhdistys ry",
            "field_sources": {"organisation": "signature"},
        }
    )
    flag = UnknownOrganisation().check(built)
    assert flag is not None
    assert flag.code is FlagCode.UNKNOWN_ORGANISATION
    assert flag.params == {"found": "Pohjolan Kehitysyhdistys ry"}


def test_flags_a_missing_organisation_with_the_sender_domain(context: Build) -> None:
    built = context(
        understanding={
            "organisation": "",
            "contact_email": "olli@example.com",
            "field_sources": {},
        }
    )
    flag = UnknownOrganisation().check(built)
    assert flag is not None
    assert flag.params == {"found": "example.com"}
