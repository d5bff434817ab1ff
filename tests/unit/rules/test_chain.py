"""The rule chain: every rule runs, and a rule that raises becomes a broken-rule flag."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext
from ingest.rules.chain import run_rules
from ingest.rules.no_photo import NoPhoto
from ingest.rules.theme_missing import ThemeMissing
from tests.unit.rules.conftest import BuildContext


class Exploding:
    """A rule with a bug: it raises a multi-line error."""

    name = "exploding"
    description = "Raises."

    def check(self, context: RuleContext) -> Flag | None:
        raise ValueError("bad data\nsecond line of the error")


def test_a_raising_rule_becomes_a_broken_rule_flag_with_its_name_and_first_error_line(
    context: BuildContext,
) -> None:
    outcome = run_rules([Exploding()], context())
    assert outcome.flags == (
        Flag(FlagCode.BROKEN_RULE, {"rule": "exploding", "error": "ValueError: bad data"}),
    )
    assert outcome.passed == ()


def test_the_rules_after_a_broken_one_still_run(context: BuildContext) -> None:
    outcome = run_rules([Exploding(), ThemeMissing(), NoPhoto()], context())
    assert [flag.code for flag in outcome.flags] == [FlagCode.BROKEN_RULE, FlagCode.NO_PHOTO]
    assert outcome.passed == ("theme_missing",)
