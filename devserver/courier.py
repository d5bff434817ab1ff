"""Runs Debian's Courier IMAP, configured as installed, in its own temporary directory.

Courier differs from Dovecot where portable code must care: NAMESPACE (("INBOX." ".")), so
every folder but INBOX lives under "INBOX."; no MOVE (COPY, \\Deleted and UID EXPUNGE instead);
IDLE and UIDPLUS offered. Tests run the same poll, crash and UIDVALIDITY cases against it.

Courier's login process asks `authdaemond` over a socket whose path, like the path of the
authdaemon's configuration, is compiled in (/run/courier/authdaemon, /etc/courier). So the
server runs in a private mount and PID namespace (`unshare`, which needs root) where a copy of
Debian's /etc/courier from our temp dir, with `authmodulelist="authuserdb"` and our userdb,
is mounted over /etc/courier, and a temp dir over the socket's directory: nothing of the
system's Courier is touched, and several instances can run at once. Mail belongs to the
unprivileged `practices-test` account, as with Dovecot.

    with CourierServer() as server:
        server.append("editor", "INBOX", raw_bytes)
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType

from devserver.dovecot_setup import HOST, mail_owner, make_path_traversable
from devserver.imap_server import ImapTestServer, free_port, greets
from devserver.tls import write_tls_files

COURIER_TCPD = "/usr/sbin/couriertcpd"
COURIER_CONFIG = Path("/etc/courier")
AUTHDAEMON_SOCKET_DIR = Path("/run/courier/authdaemon")
START_TIMEOUT_SECONDS = 15.0

# Started by `sh` inside the private mount namespace; {base} is our temp dir. The settings
# are Debian's files (imapd, imapd-ssl), sourced as /usr/sbin/imapd and imapd-ssl do.
_RUN_SCRIPT = """set -e
# This shell is the first process of its PID namespace: ending it ends every server process.
trap 'exit 0' TERM
mount --bind {base}/etc {config}
mount --bind {base}/authdaemon {socket_dir}
set -a
. {config}/authdaemonrc
/usr/lib/courier/courier-authlib/authdaemond &
. {config}/imapd
. {config}/imapd-ssl
IMAP_IDLE_TIMEOUT={idle_seconds}
TLS_CERTFILE={base}/tls/courier.pem
TLS_TRUSTCERTS={base}/tls/ca.pem
TLS_CACHEFILE=
{tcpd} -address={host} -maxprocs=40 -maxperip=40 -nodnslookup -noidentlookup {imap_port} \\
  /usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir &
IMAP_TLS=1 {tcpd} -address={host} -maxprocs=40 -maxperip=40 -nodnslookup -noidentlookup \\
  {imaps_port} /usr/bin/couriertls -server -tcpd \\
  /usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir &
wait
"""


class CourierStartError(RuntimeError):
    """Raised when Courier cannot be started here; says what is missing."""


def courier_unavailable() -> str:
    """Why Courier cannot run on this machine, or "" when it can."""
    if not Path(COURIER_TCPD).exists() or not COURIER_CONFIG.is_dir():
        return f"{COURIER_TCPD} not installed (apt-get install courier-imap courier-authlib-userdb)"
    if not shutil.which("userdbpw") and not Path("/usr/sbin/userdbpw").exists():
        return "userdbpw not installed (apt-get install courier-authlib-userdb)"
    if os.geteuid() != 0:
        return "Courier's authdaemon needs a private mount namespace, which needs root"
    return ""


class CourierServer(ImapTestServer):
    """Courier IMAP (plain and TLS) on free loopback ports, users in its own userdb."""

    def __init__(self, users: Mapping[str, str] | None = None, idle_seconds: int = 1) -> None:
        self.base_dir = Path(tempfile.mkdtemp(prefix="courier-"))
        self.host = HOST
        self.imap_port = self.imaps_port = 0
        self.ca_file = self.base_dir / "tls" / "ca.pem"
        self.namespace_prefix, self.separator = "INBOX.", "."
        # How often Courier looks for new mail during IDLE (it has no inotify here).
        self.idle_seconds = idle_seconds
        self._users = dict({"editor": "secret"} if users is None else users)
        self._user_serial = 0
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> CourierServer:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def start(self) -> None:
        problem = courier_unavailable()
        if problem:
            raise CourierStartError(problem)
        self._owner = mail_owner()
        self._prepare_files()
        self.imap_port, self.imaps_port = free_port(HOST), free_port(HOST)
        script = _RUN_SCRIPT.format(
            base=self.base_dir,
            config=COURIER_CONFIG,
            socket_dir=AUTHDAEMON_SOCKET_DIR,
            idle_seconds=self.idle_seconds,
            tcpd=COURIER_TCPD,
            host=HOST,
            imap_port=self.imap_port,
            imaps_port=self.imaps_port,
        )
        (self.base_dir / "run.sh").write_text(script, encoding="utf-8")
        AUTHDAEMON_SOCKET_DIR.mkdir(parents=True, exist_ok=True)
        with (self.base_dir / "courier.log").open("wb") as log:
            self._process = subprocess.Popen(
                [
                    "unshare",
                    "--mount",
                    "--propagation",
                    "private",
                    # A PID namespace too: couriertcpd leaves our process group (setsid), but
                    # when the namespace's first process ends, the kernel ends all in it.
                    "--pid",
                    "--fork",
                    "sh",
                    str(self.base_dir / "run.sh"),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, ended as one by `stop`
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if greets(HOST, self.imap_port) and self._process.poll() is None:
                return
            if self._process.poll() is not None:
                break
            time.sleep(0.05)
        log_text = (self.base_dir / "courier.log").read_text(encoding="utf-8", errors="replace")
        self.stop()
        raise CourierStartError(f"Courier did not start on port {self.imap_port}:\n{log_text}")

    def stop(self) -> None:
        """End the server's process group (authdaemond, couriertcpd and their children)."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.base_dir, ignore_errors=True)

    # -- users ---------------------------------------------------------------------------------

    def fresh_user(self) -> tuple[str, str]:
        """A (user, password) never handed out before, with an empty mailbox."""
        self._user_serial += 1
        user = f"box{self._user_serial:05d}"
        self.add_user(user, f"pw-{user}")
        return user, self._users[user]

    def add_user(self, user: str, password: str) -> None:
        """A userdb account with its own Maildir, usable at once (authuserdb reopens the
        database when it changes)."""
        self._users[user] = password
        self._add_userdb_entry(user, password)

    def _add_userdb_entry(self, user: str, password: str) -> None:
        home = self.base_dir / "mail" / user
        maildir = home / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        for path in (home, maildir, *(maildir / sub for sub in ("cur", "new", "tmp"))):
            os.chown(path, self._owner.pw_uid, self._owner.pw_gid)
            path.chmod(0o700)
        hashed = (
            subprocess.run(
                ["userdbpw", "-md5"],
                input=f"{password}\n".encode(),
                capture_output=True,
                check=True,
            )
            .stdout.decode()
            .strip()
        )
        fields = (
            f"uid={self._owner.pw_uid}|gid={self._owner.pw_gid}|home={home}|mail={maildir}"
            f"|systempw={hashed}"
        )
        userdb = self.base_dir / "etc" / "userdb"
        with userdb.open("a", encoding="utf-8") as entries:
            entries.write(f"{user}\t{fields}\n")
        subprocess.run(["makeuserdb", "-f", str(userdb)], capture_output=True, check=True)

    def _prepare_files(self) -> None:
        self.base_dir.chmod(0o755)
        make_path_traversable(self.base_dir)
        shutil.copytree(COURIER_CONFIG, self.base_dir / "etc", symlinks=True)
        rc = self.base_dir / "etc" / "authdaemonrc"
        lines = [
            'authmodulelist="authuserdb"' if line.startswith("authmodulelist=") else line
            for line in rc.read_text(encoding="utf-8").splitlines()
        ]
        rc.write_text("\n".join(lines) + "\n", encoding="utf-8")
        userdb = self.base_dir / "etc" / "userdb"
        userdb.write_text("", encoding="utf-8")
        userdb.chmod(0o600)
        (self.base_dir / "authdaemon").mkdir(mode=0o750)
        shutil.chown(self.base_dir / "authdaemon", "courier", "courier")
        mail = self.base_dir / "mail"
        mail.mkdir(mode=0o755)
        tls = write_tls_files(self.base_dir / "tls")
        combined = self.base_dir / "tls" / "courier.pem"
        combined.write_bytes(tls.key_file.read_bytes() + tls.cert_file.read_bytes())
        combined.chmod(0o600)
        for user, password in self._users.items():
            self._add_userdb_entry(user, password)
