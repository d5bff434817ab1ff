"""The rule registry: every rule module is registered, names are unique, all are described."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ingest.rules
from core.vocabulary import FlagCode
from ingest.rules import RULES

INFRASTRUCTURE = {"base", "chain"}


def test_every_rule_module_is_registered() -> None:
    registered_modules = {type(rule).__module__ for rule in RULES}
    for module_info in pkgutil.iter_modules(ingest.rules.__path__):
        if module_info.name in INFRASTRUCTURE or module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"ingest.rules.{module_info.name}")
        assert module.__name__ in registered_modules, f"{module.__name__} is not in RULES"


def test_rule_names_are_unique() -> None:
    names = [rule.name for rule in RULES]
    assert len(names) == len(set(names))


def test_every_rule_has_a_description_and_a_check() -> None:
    for rule in RULES:
        assert rule.description.strip(), rule.name
        assert callable(rule.check)
        assert inspect.signature(rule.check).parameters.keys() == {"context"}


def test_every_rule_module_says_its_job_in_its_first_line() -> None:
    for rule in RULES:
        doc = importlib.import_module(type(rule).__module__).__doc__ or ""
        assert doc.strip().splitlines()[0].endswith("."), type(rule).__module__


def test_every_flag_code_has_a_rule() -> None:
    """A code no rule can raise would be dead vocabulary for editors; the chain raises one."""
    rule_names = {rule.name for rule in RULES}
    assert {code.value for code in FlagCode} - {FlagCode.BROKEN_RULE.value} <= rule_names
