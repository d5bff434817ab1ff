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


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(
            ('subject = "Hyvä käytäntö"\n', ""),
            "broken.toml: case 'fi_good': subject is missing",
            id="a missing field",
        ),
        pytest.param(
            ('intro = "Hei,"', 'intro = "Hei,"\nsignatur = "t. Juha"'),
            "broken.toml: case 'fi_good': unknown field signatur",
            id="a misspelt field",
        ),
        pytest.param(
            ('language = "fi"', "language = 1"),
            "broken.toml: case 'fi_good': language must be text, not int",
            id="a value of the wrong kind",
        ),
        pytest.param(
            ('theme = "open_data"', 'theme = "avoin_data"'),
            "broken.toml: case 'fi_good': theme 'avoin_data' is not one of",
            id="a theme outside the vocabulary",
        ),
        pytest.param(
            ('key = "what_and_why"', 'key = "why"'),
            "broken.toml: case 'fi_good': section 1: key 'why' is not one of",
            id="a section key outside the vocabulary",
        ),
        pytest.param(
            ('shape = "plain"', 'shape = "docx"'),
            "broken.toml: case 'fi_good': document is missing (the docx shape needs it)",
            id="a document shape without its document",
        ),
        pytest.param(
            ('shape = "plain"', 'shape = "plain"\noutcome = "ignored"'),
            "broken.toml: case 'fi_good': an ignored message has no theme, organisation",
            id="an ignored message with labels",
        ),
        pytest.param(
            ('id = "fi_good"\n', ""),
            "broken.toml: case #1: id is missing",
            id="a case without an id, named by its number",
        ),
        pytest.param(
            ("[[case.section]]", "[case.section"),
            "broken.toml: not valid TOML",
            id="a file that is not TOML",
        ),
    ],
)
def test_a_malformed_case_fails_naming_file_and_case(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    old, new = change
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))

    with pytest.raises(CaseError) as raised:
        load_set(path)

    assert str(raised.value).startswith(message)


def test_a_case_id_may_stand_once_in_the_whole_set(tmp_path: Path) -> None:
    first = _write(tmp_path, GOOD, "first.toml")
    second = _write(tmp_path, GOOD, "second.toml")

    with pytest.raises(CaseError, match=r"second.toml: case 'fi_good': id already used in first"):
        load_sets([first, second])
