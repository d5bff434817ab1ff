"""Hostile messages end as a draft or a recorded failure, in bounded time and memory.

Each generated message is imported by `practices import` in its own process, so its wall time
and peak resident memory (from `wait4`) are its own; the bounds are generous safety limits, not
speed targets. After all of them a normal submission still becomes a draft, and a few hostile
messages go through a real Dovecot poll that keeps polling.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from store.models import InboundMessage
from tests.configs import write_config
from tests.hostile.conftest import COSTS
from tests.hostile.generator import (
    CASES,
    MB,
    huge_body,
    many_attachments,
    nested_forwards,
    zip_bomb_docx,
)
from tests.integration.harness import REPO, Installation
from tests.mail import submission

MAX_SECONDS = 30.0
MAX_GROWTH_MB = 1024.0
FINISHED = ("draft", "failed")
# Runs the CLI, then writes the process's peak resident size (kB) to the file in argv[1].
_MEASURED_MAIN = """
import re, sys
from pathlib import Path
from practices.cli import main
peak_file = Path(sys.argv.pop(1))
try:
    code = main(sys.argv[1:])
finally:
    status = Path("/proc/self/status").read_text()
    peak_file.write_text(re.search(r"VmHWM:\\s+(\\d+)", status).group(1))
sys.exit(code)
"""


class Importer:
    """`practices import` in a subprocess, against one throwaway data directory."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = write_config(
            root / "practices.toml",
            storage={"fsync": False},
            # High enough that the 50 MB body is taken in, not refused for its size.
            limits={"max_message_bytes": 80 * MB},
            senders={"own_addresses": ["avoinhallinto@vm.fi"]},
            logging={"level": "WARNING"},
        )

    def run(self, *args: str) -> tuple[int, str, float, float]:
        """(exit code, stdout, wall seconds, peak resident MB) of `practices ARGS`.

        The peak is the child's own VmHWM: `ru_maxrss` would carry the forking pytest's size.
        """
        peak_file = self.root / "peak"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", _MEASURED_MAIN, str(peak_file), "--config", str(self.config),
             *args],
            cwd=REPO,
            capture_output=True,
            check=False,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        megabytes = int(peak_file.read_text()) / 1024
        return done.returncode, done.stdout.decode("utf-8", "replace"), seconds, megabytes

    def import_raw(self, name: str, raw: bytes) -> tuple[int, str, float, float]:
        path = self.root / f"{name}.eml"
        path.write_bytes(raw)
        try:
            return self.run("import", str(path))
        finally:
            path.unlink()

    def messages(self) -> list[dict[str, object]]:
        code, out, _, _ = self.run("messages", "--json")
        assert code == 0
        rows: list[dict[str, object]] = json.loads(out)
        return rows


@pytest.fixture(scope="module")
def importer(tmp_path_factory: pytest.TempPathFactory) -> Importer:
    importer = Importer(tmp_path_factory.mktemp("hostile"))
    assert importer.run("db", "upgrade")[0] == 0
    return importer


@pytest.fixture(scope="module")
def baseline_mb(importer: Importer) -> float:
    """Peak memory of importing one ordinary submission: what every import costs anyway."""
    code, out, _, megabytes = importer.import_raw("baseline", submission(subject="Lähtötaso"))
    assert code == 0 and "draft 1" in out
    return megabytes


@pytest.mark.parametrize("name", list(CASES))
def test_a_hostile_message_ends_recorded_in_bounded_time_and_memory(
    name: str, importer: Importer, baseline_mb: float
) -> None:
    code, out, seconds, megabytes = importer.import_raw(name, CASES[name]())
    outcome = next((o for o in FINISHED if f"{o} 1" in out), out.strip())
    COSTS[name] = (outcome, seconds, megabytes)
    assert code == 0, out
    assert outcome in FINISHED
    assert seconds < MAX_SECONDS
    assert megabytes - baseline_mb < MAX_GROWTH_MB


def test_every_hostile_message_kept_its_raw_and_a_reason_when_failed(importer: Importer) -> None:
    rows = importer.messages()
    assert len(rows) >= len(CASES)
    for row in rows:
        assert row["outcome"] in FINISHED
        assert (importer.root / "data" / str(row["raw_path"])).is_file()
        if row["outcome"] == "failed":
            assert row["reason"]


def test_a_normal_submission_still_becomes_a_draft_afterwards(importer: Importer) -> None:
    code, out, _, _ = importer.import_raw("after", submission(subject="Hostiilin jälkeen"))
    assert code == 0
    assert "draft 1" in out
    assert importer.run("verify")[0] == 0


# --- through a real mailbox --------------------------------------------------------------------


def _rows(inst: Installation) -> list[InboundMessage]:
    app = inst.app()
    try:
        with app.sessions() as session:
            return list(session.scalars(select(InboundMessage).order_by(InboundMessage.id)))
    finally:
        app.close()


@pytest.mark.dovecot
def test_hostile_messages_over_imap_end_recorded_and_polling_goes_on(inst: Installation) -> None:
    for raw in (nested_forwards(), many_attachments(), zip_bomb_docx(), huge_body(8 * MB)):
        inst.deliver(raw)
    assert inst.cli("poll") == 0
    inst.deliver(submission(subject="Tavallinen käytäntö"))
    assert inst.cli("poll") == 0
    rows = _rows(inst)
    assert len(rows) == 5
    assert all(row.outcome in FINISHED for row in rows)
    assert rows[-1].outcome == "draft"
    assert inst.uids("INBOX") == []
