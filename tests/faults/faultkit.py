"""The fault suite's toolkit: an installation the tests reconfigure, seeding, counting, the proof.

Every fault test ends in `assert_exactly_once`: `practices verify` exits 0 and the counts show
each seeded message recorded once, drafted once, moved once. `TALLY` sums the trials, faults and
messages of a session; conftest prints it at the end (the long form's figures come from there).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.config import load_settings
from devserver.dovecot import DovecotServer
from store.models import InboundMessage, PracticeDraft
from tests.configs import Table, TomlValue
from tests.integration.harness import REPO, Installation
from tests.mail import submission

LONG = os.environ.get("PRACTICES_LONG_FAULTS") == "1"
PASSWORD_ENV = "PRACTICES_FAULT_IMAP_PASSWORD"
WAIT_LIMIT_SECONDS = 60.0


@dataclass
class Tally:
    """What the suite injected and proved, summed over the session."""

    trials: int = 0
    faults: int = 0
    messages: int = 0
    lost: int = 0
    doubled: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def fault(self, kind: str, count: int = 1) -> None:
        self.faults += count
        self.kinds[kind] = self.kinds.get(kind, 0) + count


TALLY = Tally()


@dataclass(frozen=True)
class Counts:
    rows: int
    distinct_message_ids: int
    drafts: int
    failed: int
    watched: int
    processed: int
    failed_folder: int


class FaultInstallation(Installation):
    """An installation whose configuration the test rewrites to put faults in the way."""

    def __init__(self, server: DovecotServer, user: str, tmp: Path) -> None:
        super().__init__(server, user, tmp / "practices.toml", PASSWORD_ENV)
        self.tmp = tmp
        self.data_dir = tmp / "data"
        self.folder = "INBOX"

    def default_tables(self) -> dict[str, dict[str, TomlValue]]:
        """Plain IMAP straight to Dovecot, short timeouts and backoff, so faults show quickly."""
        tables = super().default_tables()
        tables["schedule"]["max_backoff_seconds"] = 2
        tables["mailbox"].update(
            security="plain", connect_timeout_seconds=2.0, read_timeout_seconds=2.0
        )
        return tables

    def configure(self, **changes: Table) -> None:
        """(Re)write the configuration (see `Installation.configure`); the watched folder and
        the data directory are read back from it, for counting and for filling the disk."""
        super().configure(**changes)
        settings = load_settings(self.config_path)
        self.folder = settings.mailboxes[0].folder
        self.data_dir = settings.data_dir

    # -- mail ---------------------------------------------------------------------------------

    def seed(self, messages: list[bytes], folder: str | None = None) -> None:
        """Append many messages over one connection (MULTIAPPEND, 100 per command)."""
        client = self.server.client(self.user)
        try:
            target = folder or self.folder
            if not client.folder_exists(target):
                client.create_folder(target)
            for start in range(0, len(messages), 100):
                client.multiappend(target, messages[start : start + 100])
        finally:
            client.logout()

    # -- running ------------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        return {**os.environ, PASSWORD_ENV: self.server.password(self.user)}

    def spawn(self, *args: str, log: Path) -> subprocess.Popen[bytes]:
        """Start `practices ARGS` in its own process, output to `log` (never a full pipe)."""
        with log.open("ab") as out:
            return subprocess.Popen(
                [sys.executable, "-m", "practices", "--config", str(self.config_path), *args],
                cwd=REPO,
                env=self.env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run `practices ARGS` to completion in its own process."""
        return subprocess.run(
            [sys.executable, "-m", "practices", "--config", str(self.config_path), *args],
            cwd=REPO,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def cli_output(self, *args: str) -> tuple[int, str]:
        """Run a command in this process and return (exit code, what it printed)."""
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = self.cli(*args)
        return code, out.getvalue()

    def status(self) -> dict[str, object]:
        code, out = self.cli_output("status", "--json")
        assert code == 0
        [item] = [m for m in json.loads(out) if m["mailbox"] == "avoinhallinto"]
        return dict(item)

    def counts(self) -> Counts:
        app = self.app()
        try:
            with app.sessions() as session:
                rows = session.scalar(select(func.count()).select_from(InboundMessage)) or 0
                distinct = (
                    session.scalar(select(func.count(func.distinct(InboundMessage.message_id))))
                    or 0
                )
                drafts = session.scalar(select(func.count()).select_from(PracticeDraft)) or 0
                failed = (
                    session.scalar(
                        select(func.count())
                        .select_from(InboundMessage)
                        .where(InboundMessage.outcome == "failed")
                    )
                    or 0
                )
        finally:
            app.close()
        return Counts(
            rows=rows,
            distinct_message_ids=distinct,
            drafts=drafts,
            failed=failed,
            watched=len(self.uids(self.folder)),
            processed=len(self.uids("Käsitellyt")),
            failed_folder=len(self.uids("Virheelliset")),
        )

    def uids(self, folder: str) -> list[int]:
        """UIDs in `folder`; none when it does not exist (yet)."""
        client = self.server.client(self.user)
        try:
            if not client.folder_exists(folder):
                return []
            client.select_folder(folder, readonly=True)
            return sorted(int(uid) for uid in client.search("ALL"))
        finally:
            client.logout()


def messages(count: int, size_hint: str = "") -> list[bytes]:
    """`count` small submissions, each with its own Message-ID and subject."""
    return [submission(subject=f"Käytäntö {n} {size_hint}".strip()) for n in range(count)]


def photo_messages(count: int, every: int = 3) -> list[bytes]:
    """`count` submissions, every `every`-th with a unique ~1 MB JPEG (worker-sized work)."""
    from email import message_from_bytes, policy

    from PIL import Image

    noise = Image.frombytes("RGB", (1200, 900), random.Random(7).randbytes(1200 * 900 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=80)
    base = buffer.getvalue()
    out: list[bytes] = []
    for n, raw in enumerate(messages(count, "kuvan kanssa")):
        if n % every == 0:
            message = message_from_bytes(raw, policy=policy.default)
            tag = f"fault photo {n}".encode()
            photo = base[:2] + b"\xff\xfe" + (len(tag) + 2).to_bytes(2, "big") + tag + base[2:]
            message.add_attachment(photo, maintype="image", subtype="jpeg", filename=f"k{n}.jpg")
            raw = message.as_bytes()
        out.append(raw)
    return out


def assert_exactly_once(inst: FaultInstallation, expected: int, *, moved_copies: int = 1) -> Counts:
    """verify exits 0 and each of `expected` messages is recorded and drafted once, and moved
    to the processed folder in `moved_copies` copies (more than one where the same mail was
    restored into the watched folder after it had been moved: we never delete mail)."""
    code, report = inst.cli_output("verify")
    counts = inst.counts()
    TALLY.messages += expected
    TALLY.lost += max(0, expected - counts.distinct_message_ids)
    TALLY.doubled += counts.rows - counts.distinct_message_ids + max(0, counts.drafts - expected)
    assert code == 0, report
    assert counts == Counts(
        rows=expected,
        distinct_message_ids=expected,
        drafts=expected,
        failed=0,
        watched=0,
        processed=expected * moved_copies,
        failed_folder=0,
    ), report
    return counts


def assert_the_next_poll_recovers(
    inst: FaultInstallation, expected: int, fault: str, times: int = 1, *, moved_copies: int = 1
) -> Counts:
    """Tally one trial of `fault` (injected `times` times); the next poll then succeeds, clears
    the failure count, and leaves each of `expected` messages recorded and drafted once (see
    `assert_exactly_once` for `moved_copies`)."""
    TALLY.trials += 1
    TALLY.fault(fault, times)
    assert inst.cli("poll") == 0
    assert inst.status()["consecutive_failures"] == 0
    return assert_exactly_once(inst, expected, moved_copies=moved_copies)


def committed(database: Path) -> int:
    """Inbound rows committed so far, read without taking any lock the daemon needs."""
    if not database.exists():
        return 0
    try:
        with contextlib.closing(
            sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)
        ) as db:
            return int(db.execute("SELECT count(*) FROM inbound_message").fetchone()[0])
    except sqlite3.OperationalError:
        return 0  # the schema is there, but the table may be mid-creation or busy: not yet


def wait_for_rows(proc: subprocess.Popen[bytes], database: Path, target: int, log: Path) -> None:
    """Wait until `target` inbound rows are committed by the process writing `log`."""
    deadline = time.monotonic() + WAIT_LIMIT_SECONDS
    while committed(database) < target:
        if proc.poll() is not None:
            pytest.fail(
                f"the process exited by itself ({proc.returncode}):\n{log.read_text()[-3000:]}"
            )
        if time.monotonic() > deadline:
            pytest.fail(f"no progress to {target} rows in {WAIT_LIMIT_SECONDS} s")
        time.sleep(0.02)
