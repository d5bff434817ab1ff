"""Runs a real, throwaway Dovecot IMAP server in its own temporary directory.

Tests, the demo and benchmarks talk to a real server rather than a mock so that wire behaviour
(modified UTF-7 folder names, MOVE/UIDPLUS, TLS verification, restarts) is what we test against.
Each instance has its own config, ports, users and maildirs; several can run at once.

Privileges: started as root (this machine, CI), Dovecot refuses uid 0 for mail, so mail belongs
to the system user `practices-test` (created with useradd when missing; `nobody` if that fails)
and every directory on the path to the config is made traversable for Dovecot's own users.
Started as a normal user, everything (mail, login and internal processes) runs as that user and
no chroot is used; ports are always unprivileged. Do not put `base_dir` under pytest's
`tmp_path`: each new pytest session resets that root to 0700, locking Dovecot's users out.

    with DovecotServer() as server:
        uid = server.append("editor", "INBOX", raw_bytes)
        client = server.client("editor")
"""

from __future__ import annotations

import atexit
import grp
import os
import pwd
import re
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import TracebackType

from imapclient import IMAPClient

from devserver.tls import write_tls_files

DOVECOT_BINARY = "/usr/sbin/dovecot"
MAIL_USER = "practices-test"
HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 15.0
CLIENT_TIMEOUT_SECONDS = 15.0
_START_ATTEMPTS = 3
_APPENDUID = re.compile(rb"APPENDUID \d+ (\d+)")


class DovecotStartError(RuntimeError):
    """Raised when Dovecot cannot be started; the message carries the tail of its log."""


class DovecotServer:
    """A Dovecot instance with plain IMAP and IMAPS on free loopback ports, for tests only."""

    def __init__(
        self,
        base_dir: Path | None = None,
        users: Mapping[str, str] | None = None,
    ) -> None:
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

    def __enter__(self) -> DovecotServer:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

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
                self.imap_port, self.imaps_port = _free_port(), _free_port()
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

    def fresh_user(self) -> tuple[str, str]:
        """A (user, password) never handed out before, with an empty mailbox."""
        self._user_serial += 1
        user = f"box{self._user_serial:05d}"
        self.add_user(user, f"pw-{user}")
        return user, self._users[user]

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

    def password(self, user: str) -> str:
        return self._users[user]

    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts only this server's throwaway CA."""
        return ssl.create_default_context(cafile=str(self.ca_file))

    def client(self, user: str, *, tls: bool = False) -> IMAPClient:
        """A logged-in client over plain IMAP (default) or verified IMAPS; the caller logs out."""
        if tls:
            imap = IMAPClient(
                self.host,
                port=self.imaps_port,
                ssl=True,
                ssl_context=self.ssl_context(),
                timeout=CLIENT_TIMEOUT_SECONDS,
            )
        else:
            imap = IMAPClient(
                self.host, port=self.imap_port, ssl=False, timeout=CLIENT_TIMEOUT_SECONDS
            )
        try:
            imap.login(user, self._users[user])
        except BaseException:
            imap.shutdown()
            raise
        return imap

    def append(self, user: str, folder: str, raw_bytes: bytes, flags: Iterable[str] = ()) -> int:
        """Append a raw message to `folder` (created if missing) and return its UID."""
        imap = self.client(user)
        try:
            if not imap.folder_exists(folder):
                imap.create_folder(folder)
            response = imap.append(folder, raw_bytes, flags=tuple(flags))
        finally:
            imap.logout()
        match = _APPENDUID.search(response)
        if match is None:
            raise RuntimeError(f"server did not report APPENDUID: {response!r}")
        return int(match.group(1))

    def create_folder(self, user: str, folder: str) -> None:
        imap = self.client(user)
        try:
            imap.create_folder(folder)
        finally:
            imap.logout()

    def delete_folder(self, user: str, folder: str) -> None:
        imap = self.client(user)
        try:
            imap.delete_folder(folder)
        finally:
            imap.logout()

    def list_uids(self, user: str, folder: str) -> list[int]:
        """UIDs of every message in `folder`, ascending (deleted-but-not-expunged included)."""
        imap = self.client(user)
        try:
            imap.select_folder(folder, readonly=True)
            return sorted(int(uid) for uid in imap.search("ALL"))
        finally:
            imap.logout()

    # -- internals -----------------------------------------------------------------------------

    def _prepare_files(self) -> None:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        self._run_dir = Path(tempfile.mkdtemp(prefix="dcv-", dir="/tmp"))
        self._owner = _mail_owner()
        for directory in (self.base_dir, self._run_dir):
            directory.chmod(0o755)
            _make_path_traversable(directory)
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
            _render_config(
                base=self.base_dir,
                run_dir=self._run_dir,
                owner=self._owner,
                imap_port=self.imap_port,
                imaps_port=self.imaps_port,
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
            if _greets(self.host, self.imap_port):
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


def _render_config(
    *, base: Path, run_dir: Path, owner: pwd.struct_passwd, imap_port: int, imaps_port: int
) -> str:
    as_root = os.geteuid() == 0
    # As non-root Dovecot cannot switch users or chroot, so every process runs as us.
    process_users = (
        ""
        if as_root
        else (
            f"default_internal_user = {owner.pw_name}\n"
            f"default_internal_group = {grp.getgrgid(owner.pw_gid).gr_name}\n"
            f"default_login_user = {owner.pw_name}\n"
        )
    )
    no_chroot = "" if as_root else "  chroot =\n"
    return f"""# Generated by devserver.dovecot for tests; safe to delete with its directory.
instance_name = practices-{base.name}
base_dir = {run_dir}
state_dir = {base}/state
log_path = {base}/dovecot.log
info_log_path = {base}/dovecot.log
protocols = imap
listen = {HOST}
{process_users}
ssl = yes
ssl_cert = <{base}/tls/cert.pem
ssl_key = <{base}/tls/key.pem

disable_plaintext_auth = no
auth_mechanisms = plain login
auth_verbose = yes
# Tests of wrong passwords should not wait the default two seconds.
auth_failure_delay = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {base}/users/%u
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {base}/users/%u
}}

mail_home = {base}/mail/%u
mail_location = maildir:{base}/mail/%u
mail_uid = {owner.pw_uid}
mail_gid = {owner.pw_gid}
first_valid_uid = 1
first_valid_gid = 1

namespace inbox {{
  inbox = yes
  separator = /
}}

# A failed login would slow every later login from 127.0.0.1 for seconds (auth penalty);
# tests of wrong passwords must not slow the rest of the suite, so the penalty is off.
service anvil {{
{no_chroot}  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}

service ipc {{
{no_chroot}}}

service imap-login {{
{no_chroot}  inet_listener imap {{
    address = {HOST}
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {imaps_port}
    ssl = yes
  }}
}}
"""


def _mail_owner() -> pwd.struct_passwd:
    """The unprivileged account that owns mail: us, or `practices-test` when we are root."""
    if os.geteuid() != 0:
        return pwd.getpwuid(os.geteuid())
    try:
        return pwd.getpwnam(MAIL_USER)
    except KeyError:
        pass
    subprocess.run(
        [
            "useradd",
            "--system",
            "--user-group",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            MAIL_USER,
        ],
        capture_output=True,
        check=False,
    )
    # A parallel start may have created it first, so only the lookup decides.
    try:
        return pwd.getpwnam(MAIL_USER)
    except KeyError:
        return pwd.getpwnam("nobody")


def _make_path_traversable(directory: Path) -> None:
    """Let Dovecot's users reach `directory`: mkdtemp and pytest make 0700 parents.

    Only our own directories inside the temp dir are opened (search permission only); a base
    dir under a private home stays as it is and Dovecot's log will say what it cannot reach.
    """
    temp_root = Path(tempfile.gettempdir()).resolve()
    for ancestor in directory.resolve().parents:
        if temp_root not in ancestor.parents:
            continue
        mode = ancestor.stat()
        if mode.st_uid == os.geteuid() and not mode.st_mode & 0o001:
            ancestor.chmod((mode.st_mode & 0o7777) | 0o011)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _greets(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0) as conn:
            return conn.recv(64).startswith(b"* OK")
    except OSError:
        return False


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
