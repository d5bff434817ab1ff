"""The labelled set's loader: a well-formed data file becomes cases; a malformed one fails with a
message that names the file and the case, so a typo cannot quietly change what the set measures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fixtures.labelled.load import CaseError, load_set, load_sets
from tests.fixtures.labelled.spec import Section

GOOD = '''
[[case]]
id = "fi_good"
language = "fi"
theme = "open_data"
organisation = "Tilastokeskus"
shape = "plain"
subject = "Hyvä käytäntö"
sender = "Juha Mattila <juha.mattila@stat.fi>"
date = "Tue, 3 Mar 2026 13:13:13 +0200"
intro = "Hei,"
signature = """
Terveisin
Juha Mattila"""

[[case.section]]
heading = "Mitä tehtiin ja miksi?"
key = "what_and_why"
text = "Avasimme kuntien talousdatan."
'''


def _write(tmp_path: Path, text: str, name: str = "broken.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_well_formed_case_loads_with_its_sections_in_order(tmp_path: Path) -> None:
    (case,) = load_set(_write(tmp_path, GOOD, "good.toml"))

    assert (case.id, case.language, case.shape, case.theme) == (
        "fi_good",
        "fi",
        "plain",
        "open_data",
    )
    assert case.signature == "Terveisin\nJuha Mattila"
    assert case.outcome == "draft"
    assert case.sections == (
        Section("Mitä tehtiin ja miksi?", "what_and_why", "Avasimme kuntien talousdatan."),
    )


MALFORMED = [
    # (what is wrong, text of the good case, what replaces it, the problem the error names)
    ("a missing field", 'subject = "Hyvä käytäntö"\n', "", "subject is missing"),
    ("a misspelt field", "intro =", 'signatur = "t. Juha"\nintro =', "unknown field signatur"),
    ("a number for text", 'language = "fi"', "language = 1", "language must be text, not int"),
    ("an unknown theme", '"open_data"', '"avoin_data"', "theme 'avoin_data' is not one of"),
    ("an unknown section key", '"what_and_why"', '"why"', "section 1: key 'why' is not one"),
    ("a docx without its file", '"plain"', '"docx"', "document is missing (the docx shape"),
    ("ignored, yet labelled", "shape =", 'outcome = "ignored"\nshape =', "an ignored message"),
]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [row[1:] for row in MALFORMED],
    ids=[row[0] for row in MALFORMED],
)
def test_a_malformed_case_fails_naming_file_and_case(
    tmp_path: Path, old: str, new: str, problem: str
) -> None:
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))

    with pytest.raises(CaseError) as raised:
        load_set(path)

    assert str(raised.value).startswith(f"broken.toml: case 'fi_good': {problem}")


def test_a_case_without_an_id_is_named_by_its_number(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace('id = "fi_good"\n', ""))

    with pytest.raises(CaseError, match=r"^broken.toml: case #1: id is missing$"):
        load_set(path)


def test_a_file_that_is_not_toml_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("[[case.section]]", "[case.section"))

    with pytest.raises(CaseError, match=r"^broken.toml: not valid TOML"):
        load_set(path)


def test_a_case_id_may_stand_once_in_the_whole_set(tmp_path: Path) -> None:
    first = _write(tmp_path, GOOD, "first.toml")
    second = _write(tmp_path, GOOD, "second.toml")

    with pytest.raises(CaseError, match=r"second.toml: case 'fi_good': id already used in first"):
        load_sets([first, second])
