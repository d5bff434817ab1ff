"""Installed dependencies meet the floors in pyproject.toml, and those floors stay above the
versions with known resource bugs on untrusted input."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
PROJECT = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
REQUIREMENTS = [
    Requirement(text)
    for text in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["dev"]]
    if not text.startswith(PROJECT["name"])
]
# Versions the floors must exclude (issue 16): a 1 MB flate bomb took 40 s and 2.1 GB in
# pypdf 4; Pillow before 13 overflowed in its JPEG and TIFF decoders; lxml before 6.1 resolved
# external entities in iterparse.
TOO_OLD = {"pypdf": "7.0.1", "pillow": "12.3.0", "lxml": "6.0.4"}


@pytest.mark.parametrize("requirement", REQUIREMENTS, ids=str)
def test_the_installed_version_meets_the_floor(requirement: Requirement) -> None:
    assert requirement.specifier.contains(version(requirement.name), prereleases=True)


@pytest.mark.parametrize(("name", "old"), list(TOO_OLD.items()))
def test_the_floor_excludes_versions_with_known_resource_bugs(name: str, old: str) -> None:
    (requirement,) = [r for r in REQUIREMENTS if r.name.lower() == name]
    assert not requirement.specifier.contains(old)
