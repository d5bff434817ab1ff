"""The DMARC-fail rule."""

from __future__ import annotations

from collections.abc import Callable

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.dmarc_fail import DmarcFail

Build = Callable[..., RuleContext]


def test_flags_dmarc_fail(context: Build) -> None:
    value = "mx.vm.fi; spf=softfail smtp.mailfrom=x.com; DMARC=FAIL (p=reject) header.from=x.com"
    flag = DmarcFail().check(context(message={"headers": (("Authentication-Results", value),)}))
    assert flag is not None
    assert flag.code is FlagCode.DMARC_FAIL
    assert "DMARC=FAIL" in flag.params["header"]


def test_passes_dmarc_pass(context: Build) -> None:
    value = "mx.vm.fi; dkim=pass; dmarc=pass (p=none) header.from=kuopio.fi"
    assert (
        DmarcFail().check(context(message={"headers": (("Authentication-Results", value),)}))
        is None
    )


def test_passes_without_authentication_results(context: Build) -> None:
    assert DmarcFail().check(context()) is None
