"""The four missing-answer rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from core.vocabulary import FlagCode
from ingest.rules.base import RuleContext
from ingest.rules.missing_section import MISSING_SECTION_RULES, MissingSection

Build = Callable[..., RuleContext]


@pytest.mark.parametrize("rule", MISSING_SECTION_RULES, ids=lambda rule: rule.name)
def test_flags_an_empty_section(rule: MissingSection, context: Build) -> None:
    flag = rule.check(context(sections={rule.key: "  \n"}))
    assert flag is not None
    assert flag.code is rule.code
    assert flag.params == {}


@pytest.mark.parametrize("rule", MISSING_SECTION_RULES, ids=lambda rule: rule.name)
def test_passes_an_answered_section(rule: MissingSection, context: Build) -> None:
    assert rule.check(context()) is None


def test_each_section_has_its_own_code_and_name() -> None:
    codes = [rule.code for rule in MISSING_SECTION_RULES]
    assert codes == [
        FlagCode.MISSING_WHAT_AND_WHY,
        FlagCode.MISSING_ACHIEVED,
        FlagCode.MISSING_NEXT_STEPS,
        FlagCode.MISSING_MORE_INFO,
    ]
    assert [rule.name for rule in MISSING_SECTION_RULES] == [code.value for code in codes]


@pytest.mark.parametrize("rule", MISSING_SECTION_RULES[1:], ids=lambda rule: rule.name)
def test_passes_an_empty_section_when_no_headings_were_found(
    rule: MissingSection, context: Build
) -> None:
    assert rule.check(context(sections={rule.key: "", "headings_found": 0})) is None


def test_still_flags_a_missing_first_answer_when_no_headings_were_found(context: Build) -> None:
    rule = MISSING_SECTION_RULES[0]
    flag = rule.check(context(sections={"what_and_why": "", "headings_found": 0}))
    assert flag is not None
    assert flag.code is FlagCode.MISSING_WHAT_AND_WHY
