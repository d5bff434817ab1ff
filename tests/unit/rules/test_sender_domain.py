"""The sender-domain rule."""

from __future__ import annotations

from collections.abc import Callable

from core.senders import domain_is_public
from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.sender_domain import SenderDomain

Build = Callable[..., RuleContext]


def test_flags_a_private_address(context: Build) -> None:
    built = context(
        understanding={"contact_email": "maija@gmail.com"}, public_domains=("*.fi", "vm.fi")
    )
    flag = SenderDomain().check(built)
    assert flag is not None
    assert flag.code is FlagCode.SENDER_NOT_PUBLIC_SECTOR
    assert flag.params == {"address": "maija@gmail.com"}


def test_passes_a_matching_wildcard(context: Build) -> None:
    assert SenderDomain().check(context(public_domains=("*.fi",))) is None


def test_passes_a_subdomain_of_a_listed_domain(context: Build) -> None:
    built = context(understanding={"contact_email": "anna@x.VM.fi"}, public_domains=("vm.fi",))
    assert SenderDomain().check(built) is None


def test_uses_the_sender_when_there_is_no_contact(context: Build) -> None:
    built = context(
        understanding={"contact_email": ""},
        message={"from_address": "someone@example.com"},
        public_domains=("*.fi",),
    )
    flag = SenderDomain().check(built)
    assert flag is not None
    assert flag.params == {"address": "someone@example.com"}


def test_passes_when_no_patterns_are_configured(context: Build) -> None:
    built = context(understanding={"contact_email": "maija@gmail.com"}, public_domains=())
    assert SenderDomain().check(built) is None


def test_exact_pattern_does_not_match_a_lookalike() -> None:
    assert not domain_is_public("notvm.fi", ("vm.fi",))
