"""Every permission problem is one line naming the path and the fix, never a traceback.

Tests run as root here, and root may read and write anything, which once hid these bugs; so
each command runs as a real unprivileged user (`nobody`, through setpriv), against files that
belong to root, as after an install step run as the wrong user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.harness import REPO

NOBODY = 65534
pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to run commands as another user",
)

MAILBOX = """
[[mailbox]]
name = "avoinhallinto"
host = "127.0.0.1"
username = "u"
password_env = "PRACTICES_PERMISSION_TEST_PASSWORD"
"""


@pytest.fixture
def place() -> Iterator[Path]:
    """A directory every user can reach (pytest's tmp_path is root's alone)."""
    directory = Path(tempfile.mkdtemp(prefix="practices-perm-", dir="/tmp"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def config(place: Path, data_dir: Path) -> Path:
    path = place / "config.toml"
    path.write_text(f'[storage]\ndata_dir = "{data_dir}"\n{MAILBOX}', encoding="utf-8")
    path.chmod(0o644)
    return path


def as_nobody(config_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`practices --config CONFIG ARGS` as the user nobody."""
    return subprocess.run(
        [
            "setpriv",
            f"--reuid={NOBODY}",
            f"--regid={NOBODY}",
            "--clear-groups",
            sys.executable,
            "-m",
            "practices",
            "--config",
            str(config_path),
            *args,
        ],
        cwd=REPO,
        env={
            **os.environ,
            "PRACTICES_PERMISSION_TEST_PASSWORD": "x",
            "PYTHONDONTWRITEBYTECODE": "1",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def assert_one_line(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """The command failed with exactly one line on stderr that holds `words`."""
    assert result.returncode != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize(
    "command", [["db", "upgrade"], ["db", "current"], ["status"], ["poll"], ["run"]]
)
def test_a_data_dir_of_another_user_is_one_line_with_the_chown(
    place: Path, command: list[str]
) -> None:
    data_dir = place / "data"
    data_dir.mkdir(mode=0o700)  # root's, as after `db upgrade` run as root
    result = as_nobody(config(place, data_dir), *command)
    assert_one_line(
        result, f"data directory {data_dir} is not writable", "running as nobody", "install -d"
    )


def test_a_data_dir_that_cannot_be_created_is_one_line_with_the_install_command(
    place: Path,
) -> None:
    parent = place / "var-lib"
    parent.mkdir(mode=0o755)  # root's: nobody may not create the data directory in it
    data_dir = parent / "practice-inbox"
    result = as_nobody(config(place, data_dir), "db", "upgrade")
    assert_one_line(
        result, f"cannot create directory {data_dir}: Permission denied", "install -d -o nobody"
    )


def test_a_sqlite_file_of_another_user_is_one_line_with_the_chown(place: Path) -> None:
    data_dir = place / "data"
    data_dir.mkdir(mode=0o700)
    database = data_dir / "practices.db"
    database.touch(mode=0o600)  # root's, as after `db upgrade` run as root...
    os.chown(data_dir, NOBODY, NOBODY)  # ...in a directory that is the service user's
    result = as_nobody(config(place, data_dir), "status")
    assert_one_line(result, f"database file {database}", "chown nobody:", "run as root?")


@pytest.mark.parametrize("command", [["check-config"], ["db", "current"], ["run"]])
def test_an_unreadable_config_is_one_line_with_the_chgrp(place: Path, command: list[str]) -> None:
    path = config(place, place / "data")
    path.chmod(0o600)  # root's alone, as the README once installed it
    result = as_nobody(path, *command)
    assert_one_line(result, f"{path}: cannot read: Permission denied", "chgrp", "chmod 640")
    assert result.returncode == 2


def test_check_config_fails_on_a_data_dir_it_cannot_write(place: Path) -> None:
    data_dir = place / "data"
    data_dir.mkdir(mode=0o700)
    result = as_nobody(config(place, data_dir), "check-config")
    assert result.returncode == 1
    assert f"storage.data_dir {data_dir}: is not a writable directory" in result.stderr
    assert "Traceback" not in result.stderr
