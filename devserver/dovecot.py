"""Runs a real, throwaway Dovecot IMAP server in its own temporary directory.

Tests, the demo and benchmarks talk to a real server rather than a mock so that wire behaviour
(modified UTF-7 folder names, MOVE/UIDPLUS, TLS verification, restarts) is what we test against.
Each instance has its own config, ports, users and maildirs; several can run at once.

Who owns what (mail, processes) and the configuration itself are in devserver/dovecot_setup.py.
Do not put `base_dir` under pytest's `tmp_path`: each new pytest session resets that root to
0700, locking Dovecot's users out.

    with DovecotServer() as server:
        uid = server.append("editor", "INBOX", raw_bytes)
        client = server.client("editor")
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from devserver.dovecot_setup import (
    HOST,
    DovecotOptions,
    mail_owner,
    make_path_traversable,
    render_config,
)
from devserver.imap_server import ImapTestServer, free_port, greets
from devserver.tls import write_tls_files

DOVECOT_BINARY = "/usr/sbin/dovecot"
START_TIMEOUT_SECONDS = 15.0
_START_ATTEMPTS = 3


class DovecotStartError(RuntimeError):
    """Raised when Dovecot cannot be started; the message carries the tail of its log."""


class DovecotServer(ImapTestServer):
    """A Dovecot instance with plain IMAP and IMAPS on free loopback ports, for tests only.

    `options` changes what the server looks like to a client: its personal namespace (Dovecot
    can look like Courier: prefix "INBOX.", separator "."), or an OAuth 2.0 passdb.
    """

    def __init__(
        self,
        base_dir: Path | None = None,
        users: Mapping[str, str] | None = None,
        options: DovecotOptions | None = None,
    ) -> None:
        self.options = options or DovecotOptions()
        self.namespace_prefix = self.options.namespace_prefix
        self.separator = self.options.separator
        self._owns_base_dir = base_dir is None
        self.base_dir = Path(tempfile.mkdtemp(prefix="dovecot-")) if base_dir is None else base_dir
        self.host = HOST
        self.imap_port = 0
        self.imaps_port = 0
        self.ca_file = self.base_dir / "tls" / "ca.pem"
        self.config_file = self.base_dir / "dovecot.conf"
        self.log_file = self.base_dir / "dovecot.log"
        self._users = dict({"editor": "secret"} if users is None else users)
        self._user_serial = 0
        # Unix socket paths are limited to ~108 bytes, so runtime sockets live in a short dir.
        self._run_dir: Path | None = None
        self._running = False

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        """Write the config (first time only), start Dovecot and wait until IMAP answers."""
        if self._running:
            return
        if not Path(DOVECOT_BINARY).exists():
            raise DovecotStartError(
                f"{DOVECOT_BINARY} not found: install it with `apt-get install dovecot-imapd`"
            )
        first_start = self.imap_port == 0
        if first_start:
            self._prepare_files()
        for attempt in range(_START_ATTEMPTS):
            if first_start:
                self.imap_port, self.imaps_port = free_port(HOST), free_port(HOST)
            self._write_config()
            try:
                self._launch()
            except DovecotStartError as error:
                # Another process may have grabbed a port between probing and binding.
                port_race = "Address already in use" in str(error)
                if not (first_start and port_race and attempt + 1 < _START_ATTEMPTS):
                    raise
            else:
                self._running = True
                atexit.register(self.stop)
                return

    def stop(self) -> None:
        """Stop Dovecot and wait for its master process to exit; mail stays on disk."""
        if not self._running:
            return
        pid = self._master_pid()
        if pid is None:
            self._run_stop()
        else:
            # `dovecot stop` polls once a second; signalling the master directly is faster.
            os.kill(pid, signal.SIGTERM)
            _wait_for_exit(pid)
        self._running = False
        atexit.unregister(self.stop)

    def restart(self) -> None:
        """Stop and start again on the same ports, as a fault test's "server went away"."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop the server and remove every temporary directory this instance created."""
        self.stop()
        if self._run_dir is not None:
            shutil.rmtree(self._run_dir, ignore_errors=True)
            self._run_dir = None
        if self._owns_base_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)

    # -- users and mail ------------------------------------------------------------------------

    def add_user(self, user: str, password: str) -> None:
        """Add a user, usable at once; replacing a password takes up to a second to show.

        Each user has its own passwd-file (`users/<name>`): Dovecot opens a file it has not
        seen on first lookup, but re-checks a known one at most once per wall-clock second.
        """
        if not re.fullmatch(r"[A-Za-z0-9._-]+", user) or ":" in password or "\n" in password:
            raise ValueError(f"unsupported test user name or password for {user!r}")
        replacing = user in self._users
        self._users[user] = password
        self._write_passwd_file(user)
        if replacing and self._running:
            time.sleep(1.05 - time.time() % 1.0)

    # -- internals -----------------------------------------------------------------------------

    def _prepare_files(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self._run_dir = Path(tempfile.mkdtemp(prefix="dcv-", dir="/tmp"))
        self._owner = mail_owner()
        for directory in (self.base_dir, self._run_dir):
            directory.chmod(0o755)
            make_path_traversable(directory)
        (self.base_dir / "state").mkdir(exist_ok=True)
        mail_dir = self.base_dir / "mail"
        mail_dir.mkdir(exist_ok=True)
        os.chown(mail_dir, self._owner.pw_uid, self._owner.pw_gid)
        write_tls_files(self.base_dir / "tls")
        (self.base_dir / "users").mkdir(mode=0o755, exist_ok=True)
        for user in self._users:
            self._write_passwd_file(user)

    def _write_passwd_file(self, user: str) -> None:
        target = self.base_dir / "users" / user
        staging = target.with_name(f".{user}.tmp")
        staging.write_text(f"{user}:{{PLAIN}}{self._users[user]}::::::\n", encoding="utf-8")
        # Dovecot's auth process reads it as its internal user; these are test-only passwords.
        staging.chmod(0o644)
        staging.replace(target)

    def _write_config(self) -> None:
        assert self._run_dir is not None
        self.config_file.write_text(
            render_config(
                base=self.base_dir,
                run_dir=self._run_dir,
                owner=self._owner,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port,
                options=self.options,
            ),
            encoding="utf-8",
        )
        self.config_file.chmod(0o644)

    def _launch(self) -> None:
        # The daemon inherits our stdio, so pipes would never reach EOF: use a file instead.
        stderr_file = self.base_dir / "dovecot.stderr"
        with stderr_file.open("wb") as stderr:
            result = subprocess.run(
                [DOVECOT_BINARY, "-c", str(self.config_file)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                check=False,
            )
        if result.returncode != 0:
            errors = stderr_file.read_text(encoding="utf-8", errors="replace")
            raise DovecotStartError(
                self._failure(f"dovecot exited with {result.returncode}", errors)
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if greets(self.host, self.imap_port):
                return
            time.sleep(0.05)
        self._run_stop()
        raise DovecotStartError(self._failure("IMAP port did not answer in time", ""))

    def _run_stop(self) -> None:
        subprocess.run(
            [DOVECOT_BINARY, "-c", str(self.config_file), "stop"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )

    def _failure(self, what: str, stderr: str) -> str:
        try:
            log_lines = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            log_lines = ["(no log file)"]
        tail = "\n".join(log_lines[-30:])
        return f"{what} (config {self.config_file})\nstderr: {stderr.strip()}\nlog tail:\n{tail}"

    def _master_pid(self) -> int | None:
        if self._run_dir is None:
            return None
        try:
            return int((self._run_dir / "master.pid").read_text().strip())
        except (OSError, ValueError):
            return None


def _wait_for_exit(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_alive(pid):
            return
        time.sleep(0.02)
    os.kill(pid, signal.SIGKILL)


def _is_alive(pid: int) -> bool:
    """True while `pid` runs; a zombie counts as gone (in containers PID 1 may reap it late)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return stat.rpartition(")")[2].split()[0] != "Z"
