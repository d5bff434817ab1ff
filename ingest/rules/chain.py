"""Running the review rules: every rule runs, hits become flags, misses are recorded as passed.

Like Mailman's moderation chain, the decision is made only after all rules have spoken, so the
draft's audit trail lists every reason and every rule that found nothing. A rule that crashes is
a bug, not a reason to lose the draft: it becomes a `broken_rule` flag naming the rule and its
error (an editor must look, since the doubt it exists to raise was never checked), and the
traceback goes to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, Rule, RuleContext

log = logging.getLogger(__name__)

ERROR_TEXT_CHARS = 300


@dataclass(frozen=True)
class RuleOutcome:
    """The flags raised (a broken rule's among them) and the names of the rules that passed."""

    flags: tuple[Flag, ...]
    passed: tuple[str, ...]


def broken_rule_flag(rule_name: str, exc: BaseException) -> Flag:
    """The flag that records `rule_name` raising `exc`: the rule and the error's first line."""
    lines = str(exc).strip().splitlines()
    error = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return Flag(FlagCode.BROKEN_RULE, {"rule": rule_name, "error": error[:ERROR_TEXT_CHARS]})


def run_rules(rules: Sequence[Rule], context: RuleContext) -> RuleOutcome:
    """Run every rule on `context` and collect hits and misses in rule order."""
    flags: list[Flag] = []
    passed: list[str] = []
    for rule in rules:
        try:
            flag = rule.check(context)
        except Exception as exc:
            log.exception("review rule %s raised; recorded as a broken_rule flag", rule.name)
            flags.append(broken_rule_flag(rule.name, exc))
            continue
        if flag is None:
            passed.append(rule.name)
        else:
            flags.append(flag)
    return RuleOutcome(flags=tuple(flags), passed=tuple(passed))
