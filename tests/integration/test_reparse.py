"""`practices reparse` refreshes understanding from the stored raw, never an editor's edits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from core.config import load_settings
from core.vocabulary import FlagCode
from practices.cli import main
from store.app import open_app
from store.models import PracticeDraft
from tests.configs import write_config
from tests.mail import submission


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = write_config(tmp_path / "practices.toml")
    assert main(["--config", str(path), "db", "upgrade"]) == 0
    eml = tmp_path / "one.eml"
    eml.write_bytes(submission())
    assert main(["--config", str(path), "import", str(eml)]) == 0
    return str(path)


@contextmanager
def the_draft(config: str) -> Iterator[PracticeDraft]:
    """The imported draft, in a transaction that commits what the block changes in it."""
    app = open_app(load_settings(config))
    try:
        with app.sessions.begin() as session:
            yield session.get_one(PracticeDraft, 1)
    finally:
        app.close()


def damage_as_an_older_parser_would(config: str) -> None:
    with the_draft(config) as stored:
        stored.achieved = ""
        stored.what_and_why = "vanhan jäsentimen sotku"


def test_reparse_restores_what_understanding_owns_and_keeps_edited_fields(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(
            [
                "--config",
                config,
                "review",
                "edit",
                "1",
                "--set",
                "title=Toimittajan otsikko",
                "--editor",
                "Eeva",
            ]
        )
        == 0
    )
    damage_as_an_older_parser_would(config)
    capsys.readouterr()
    assert main(["--config", config, "reparse", "--all"]) == 0
    assert "changed 1" in capsys.readouterr().out
    with the_draft(config) as refreshed:
        assert refreshed.what_and_why.startswith("Uudistimme lomakkeen")
        assert refreshed.achieved.startswith("Yhteydenotot")
        assert refreshed.title == "Toimittajan otsikko"


def test_reparse_twice_changes_nothing_the_second_time(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    damage_as_an_older_parser_would(config)
    assert main(["--config", config, "reparse", "--all"]) == 0
    capsys.readouterr()
    assert main(["--config", config, "reparse", "--all"]) == 0
    assert "changed 0" in capsys.readouterr().out


def test_a_reparsed_draft_is_no_duplicate_of_itself(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["--config", config, "reparse", "--all"]) == 0
    assert "changed 0" in capsys.readouterr().out
    with the_draft(config) as reparsed:
        codes = [flag.code for flag in reparsed.flags]
    assert FlagCode.POSSIBLE_DUPLICATE.value not in codes


def blank_what_an_older_parser_missed(config: str) -> None:
    """The fields issue 13 repairs, as an older parser stored them."""
    with the_draft(config) as stored:
        stored.organisation = ""
        stored.theme = None
        stored.title = "Kehittämispäällikkö Maija Virtanen, VM"
        stored.contact_email = "maija virtanen <maija.virtanen@vm.fi>"


def test_reparse_all_counts_the_repaired_fields_and_leaves_edited_ones(
    config: str, capsys: pytest.CaptureFixture[str]
) -> None:
    edit = ["--config", config, "review", "edit", "1", "--editor", "Eeva"]
    assert main([*edit, "--set", "organisation=VM:n digiosasto"]) == 0
    blank_what_an_older_parser_missed(config)
    capsys.readouterr()
    assert main(["--config", config, "reparse", "--all"]) == 0
    out = capsys.readouterr().out
    assert "fields changed: organisation 0, theme 1, title 1, contact 1" in out
    with the_draft(config) as refreshed:
        assert refreshed.organisation == ""  # as stored: an editor edited it, so reparse keeps it
        assert refreshed.theme == "understandability"
        assert refreshed.title == "Selkokielinen lomake"
        assert refreshed.contact_email == "maija.virtanen@vm.fi"
