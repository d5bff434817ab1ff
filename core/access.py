"""Who this process runs as, and the one line that tells an operator how to give it a path.

Every permission problem is reported as one line naming the path, the user we run as and the
command that fixes it, never as a traceback: the usual cause is an install step run as root
(`db upgrade`, a config copied with the wrong owner), and the fix is one `chown`/`chmod` away.
The commands shown match the README's production install: configuration readable by the
service user's group, secrets and data owned by the service user alone.
"""

from __future__ import annotations

import grp
import os
import pwd
from pathlib import Path


def running_as() -> tuple[str, str]:
    """The effective user and group names (numbers when the system has no name for them)."""
    uid, gid = os.geteuid(), os.getegid()
    try:
        user = pwd.getpwuid(uid).pw_name
    except KeyError:
        user = str(uid)
    try:
        group = grp.getgrgid(gid).gr_name
    except KeyError:
        group = str(gid)
    return user, group


def shared_read_fix(path: Path) -> str:
    """How to let the service user read a file that root keeps (the configuration)."""
    user, group = running_as()
    return (
        f"running as {user}, who must be able to read it: "
        f"chgrp {group} {path} {path.parent} && chmod 640 {path} && chmod 750 {path.parent}"
    )


def private_file_fix(path: Path) -> str:
    """How to give the service user a file only it may read (a password file)."""
    user, group = running_as()
    return f"running as {user}, who must own it: chown {user}:{group} {path} && chmod 600 {path}"


def private_dir_fix(path: Path) -> str:
    """How to give the service user a directory only it may use (the data directory)."""
    user, group = running_as()
    return (
        f"running as {user}, who must own it: install -d -o {user} -g {group} -m 0700 {path} "
        f"(or chown -R {user}:{group} {path}), or set storage.data_dir"
    )


def _may(path: Path, mode: int) -> bool:
    """os.access for the effective user, which is the one that will open the path."""
    return os.access(path, mode, effective_ids=os.access in os.supports_effective_ids)


def can_write_dir(path: Path) -> bool:
    """Whether files can be created, listed and opened in the directory `path`."""
    return _may(path, os.R_OK | os.W_OK | os.X_OK)


def can_read_write(path: Path) -> bool:
    """Whether the file `path` can be opened for reading and writing."""
    return _may(path, os.R_OK | os.W_OK)


def permission_problem(exc: PermissionError) -> str:
    """One line for a PermissionError that no earlier check turned into a clearer one."""
    user, _group = running_as()
    path = exc.filename if exc.filename is not None else "(a file)"
    return (
        f"permission denied: {path}: running as {user}, who must be able to use it "
        "(the README's production install gives the service user its files)"
    )
