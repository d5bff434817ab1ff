"""Running the review rules: every rule runs, hits become flags, misses are recorded as passed.

Like Mailman's moderation chain, the decision is made only after all rules have spoken, so the
draft's audit trail lists every reason and every rule that found nothing. A rule that crashes is
a bug, not a reason to lose the draft: it is recorded as a flag-free miss and logged.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.rules.base import Flag, Rule, RuleContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RuleOutcome:
    """The flags raised and the names of the rules that passed."""

    flags: tuple[Flag, ...]
    passed: tuple[str, ...]
    broken: tuple[str, ...] = ()


def run_rules(rules: Sequence[Rule], context: RuleContext) -> RuleOutcome:
    """Run every rule on `context` and collect hits and misses in rule order."""
    flags: list[Flag] = []
    passed: list[str] = []
    broken: list[str] = []
    for rule in rules:
        try:
            flag = rule.check(context)
        except Exception:
            # A broken rule must not cost the submission; the traceback goes to the log.
            log.exception("review rule %s raised; treated as not matched", rule.name)
            broken.append(rule.name)
            continue
        if flag is None:
            passed.append(rule.name)
        else:
            flags.append(flag)
    return RuleOutcome(flags=tuple(flags), passed=tuple(passed), broken=tuple(broken))
