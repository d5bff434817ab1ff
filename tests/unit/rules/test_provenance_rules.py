"""The rules that tell an editor where the text came from: a fallback parser, a forward, a
document. Each flags that fact with it as the flag's parameters, and passes a plain email."""

from __future__ import annotations

from typing import Any

import pytest

from core.vocabulary import FlagCode
from ingest.rules.base import Rule
from ingest.rules.fallback_parser import FallbackParser
from ingest.rules.forwarded import Forwarded
from ingest.rules.from_document import FromDocument
from tests.unit.rules.conftest import BuildContext


@pytest.mark.parametrize(
    ("rule", "changes", "code", "params"),
    [
        pytest.param(
            FallbackParser(),
            {"message": {"parser": "stdlib"}},
            FlagCode.FALLBACK_PARSER,
            {"parser": "stdlib"},
            id="read-by-the-fallback-parser",
        ),
        pytest.param(
            Forwarded(),
            {"understanding": {"forwarded_by": "kirjaamo@vm.fi"}},
            FlagCode.FORWARDED,
            {"forwarded_by": "kirjaamo@vm.fi"},
            id="forwarded",
        ),
        pytest.param(
            FromDocument(),
            {"understanding": {"source_document": "kaytanto.docx"}},
            FlagCode.FROM_DOCUMENT,
            {"document": "kaytanto.docx"},
            id="text-from-a-document",
        ),
    ],
)
def test_flags_where_the_text_came_from(
    rule: Rule,
    changes: dict[str, dict[str, Any]],
    code: FlagCode,
    params: dict[str, str],
    context: BuildContext,
) -> None:
    flag = rule.check(context(**changes))
    assert flag is not None
    assert flag.code is code
    assert flag.params == params


@pytest.mark.parametrize(
    "rule",
    [
        pytest.param(FallbackParser(), id="mail-parser"),
        pytest.param(Forwarded(), id="a-direct-message"),
        pytest.param(FromDocument(), id="text-from-the-email"),
    ],
)
def test_passes_a_plain_email_sent_directly(rule: Rule, context: BuildContext) -> None:
    assert rule.check(context()) is None
