"""Where a password comes from: an environment variable or a file only its owner can read.

Secrets never live in the TOML. A table that needs one (a [[mailbox]], [smtp]) declares
`password_env` and `password_file`, and reads the password through `read_secret` at the moment
a connection needs it, so a rotated secret is picked up without a restart and never sits in a
settings object that might be printed.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from core.access import private_file_fix
from core.errors import ConfigError


def read_secret(
    owner: str, password_env: str, password_file: str, file_key: str = "password_file"
) -> str:
    """The password named by `password_env` or `password_file`; `owner` says whose it is
    ("mailbox 'avoinhallinto'", "[smtp]") in the error an operator reads when it is missing,
    `file_key` which key named the file."""
    if password_env:
        value = os.environ.get(password_env)
        if value is None:
            raise ConfigError(
                "environment",
                password_env,
                f"{owner} takes its password from ${password_env}, which is not set (set it "
                "for the service, e.g. with EnvironmentFile=, or use password_file)",
            )
        return value
    path = Path(password_file)
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                str(path),
                file_key,
                f"is readable by others (mode {stat.S_IMODE(mode):o}): " + private_file_fix(path),
            )
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        problem = f"cannot read: {exc.strerror}"
        if isinstance(exc, PermissionError):
            problem += f"; {private_file_fix(path)}"
        raise ConfigError(str(path), file_key, problem) from exc


def describe_secret(password_env: str, password_file: str) -> str:
    """Say where a password comes from, never what it is."""
    if password_env:
        state = "set" if password_env in os.environ else "NOT SET"
        return f"${password_env} ({state}) ********"
    return f"file {password_file} ********"
