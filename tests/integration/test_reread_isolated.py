"""`practices retry` and `practices reparse` read stored messages again as new mail is read: in a
worker process, so a message that kills its reader costs that worker, never the command."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import load_settings
from practices.cli import main
from store.app import open_app
from store.models import InboundMessage, PracticeDraft
from tests.configs import write_config
from tests.integration import worker_crash_helpers
from tests.mail import submission

POISONED = submission(subject="Myrkkyviesti", body=worker_crash_helpers.POISON.decode())


def misbehave(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, a worker dies on a message with POISON in it."""
    monkeypatch.setattr(
        "ingest.workers._interpret_in_worker", worker_crash_helpers.interpret_or_misbehave
    )


@pytest.fixture
def config(tmp_path: Path) -> str:
    path = write_config(tmp_path / "practices.toml", processing={"workers": 2})
    assert main(["--config", str(path), "db", "upgrade"]) == 0
    return str(path)


def import_poisoned(config: str, tmp_path: Path) -> None:
    eml = tmp_path / "myrkky.eml"
    eml.write_bytes(POISONED)
    assert main(["--config", config, "import", str(eml)]) == 0


def stored(config: str) -> tuple[list[tuple[str, int]], list[str]]:
    """Each message's outcome and attempts, and each draft's title."""
    app = open_app(load_settings(config))
    try:
        with app.sessions() as session:
            messages = [(m.outcome, m.attempts) for m in session.query(InboundMessage)]
            titles = [d.title for d in session.query(PracticeDraft)]
    finally:
        app.close()
    return messages, titles


def test_retrying_a_message_that_kills_its_reader_fails_it_again_and_the_command_lives(
    config: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    misbehave(monkeypatch)
    import_poisoned(config, tmp_path)
    assert stored(config) == ([("failed", 1)], [])
    capsys.readouterr()

    assert main(["--config", config, "retry", "--all"]) == 1
    assert "message 1: failed the worker process died" in capsys.readouterr().out
    assert stored(config) == ([("failed", 2)], [])

    monkeypatch.undo()  # the reader is fixed: the same message now becomes a draft
    assert main(["--config", config, "retry", "1"]) == 0
    assert stored(config) == ([("draft", 3)], ["Myrkkyviesti"])


def test_reparse_leaves_a_draft_whose_reader_dies_as_it_was_and_names_it(
    config: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import_poisoned(config, tmp_path)  # read safely: the reader is not broken yet
    assert stored(config) == ([("draft", 1)], ["Myrkkyviesti"])
    capsys.readouterr()

    misbehave(monkeypatch)
    assert main(["--config", config, "reparse", "--all"]) == 1
    out = capsys.readouterr().out
    assert "reparse: examined 1, changed 0" in out
    assert "reparse: not read again: draft 1: WorkerCrashed" in out
    assert stored(config) == ([("draft", 1)], ["Myrkkyviesti"])
