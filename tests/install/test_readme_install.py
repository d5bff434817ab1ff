"""The README's production install, run as written (under a temporary root, as a fresh service
user), gives a service that reads its configuration and secret, writes its data directory,
polls a real Dovecot and reports healthy; its units verify and are sandboxed."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from devserver.dovecot import DovecotServer
from tests.install.readme_install import (
    InstallRun,
    Mailbox,
    Step,
    exposure,
    install_and_start,
    temporary_root,
)
from tests.integration.harness import submission

pytestmark = [
    pytest.mark.dovecot,
    pytest.mark.skipif(os.geteuid() != 0, reason="the install runs as root (useradd, runuser)"),
    pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="needs systemd-analyze"),
]


@pytest.fixture(scope="module")
def installed(dovecot: DovecotServer) -> Iterator[tuple[InstallRun, bool]]:
    """One run of the whole install for the module's tests (it takes half a minute)."""
    username, password = dovecot.fresh_user()
    for folder in ("Käsitellyt", "Virheelliset"):  # an existing mailbox has its folders
        dovecot.create_folder(username, folder)
    mailbox = Mailbox(dovecot.host, dovecot.imaps_port, dovecot.ca_file, username, password)
    run = InstallRun(temporary_root())
    try:
        ok = install_and_start(
            run, mailbox, lambda: dovecot.append(username, "INBOX", submission())
        )
        yield run, ok
    finally:
        run.close()
        shutil.rmtree(run.root, ignore_errors=True)


def step(run: InstallRun, title: str) -> Step:
    [found] = [s for s in run.steps if s.title.startswith(title)]
    return found


def owner_and_mode(path: Path) -> tuple[str, str, int]:
    info = path.stat()
    user = pwd.getpwuid(info.st_uid).pw_name
    group = grp.getgrgid(info.st_gid).gr_name
    return user, group, stat.S_IMODE(info.st_mode)


def test_every_command_of_the_readme_runs_as_written(installed: tuple[InstallRun, bool]) -> None:
    run, _ok = installed
    install = step(run, "README install")
    assert install.returncode == 0, install.output[-4000:]
    assert "# ok: mailbox avoinhallinto at" in install.output  # check-config --connect logged in
    assert "schema: empty -> " in install.output  # db upgrade as the service user


def test_the_service_user_reads_its_config_and_secret_and_owns_its_data(
    installed: tuple[InstallRun, bool],
) -> None:
    run, _ok = installed
    etc, data = run.root / "etc/practice-inbox", run.root / "var/lib/practice-inbox"
    assert owner_and_mode(etc) == ("root", run.user, 0o750)
    assert owner_and_mode(etc / "config.toml") == ("root", run.user, 0o640)
    assert owner_and_mode(etc / "imap-password") == (run.user, run.user, 0o600)
    assert owner_and_mode(data) == (run.user, run.user, 0o700)
    assert owner_and_mode(data / "practices.db") == (run.user, run.user, 0o600)


def test_the_units_verify_and_the_daemon_unit_is_sandboxed(
    installed: tuple[InstallRun, bool],
) -> None:
    run, _ok = installed
    verified = step(run, "systemd-analyze verify")
    assert (verified.returncode, verified.output.strip()) == (0, "")
    assert exposure(step(run, "systemd-analyze security practice-inbox.service")) <= 2.5
    assert exposure(step(run, "systemd-analyze security practice-inbox-health.service")) <= 2.5


def test_what_the_units_start_polls_the_mailbox_and_reports_healthy(
    installed: tuple[InstallRun, bool],
) -> None:
    run, ok = installed
    daemon = step(run, "ExecStart=")
    assert daemon.returncode == 0, daemon.output
    assert "draft 1; already known 0; moved 1" in daemon.output
    health = step(run, "health unit")
    assert (health.returncode, health.output.splitlines()[-1]) == (0, "health: OK")
    assert ok
