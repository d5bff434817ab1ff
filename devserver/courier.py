"""Runs Debian's Courier IMAP from its unpacked packages, in a namespace of its own.

Courier differs from Dovecot where portable code must care: NAMESPACE (("INBOX." ".")), so
every folder but INBOX lives under "INBOX."; no MOVE (COPY, \\Deleted and UID EXPUNGE instead);
IDLE and UIDPLUS offered. Tests run the same poll, crash and UIDVALIDITY cases against it.

Courier is never installed: Debian's `courier-imap` conflicts with `dovecot-imapd` (both provide
`imap-server`), so installing it removes Dovecot. `scripts/setup-env` downloads its packages
with `apt-get download` and unpacks them with `dpkg-deb -x` into `.cache/courier/root`. Courier's
paths are compiled in (/usr/lib/courier/..., /etc/courier/authdaemonrc,
/run/courier/authdaemon/socket), so the server runs in a private mount and PID namespace
(`unshare`, which needs root) where the unpacked tree is overlaid on /usr and /etc (read only,
the system's files beneath), our configuration and userdb are bound over /etc/courier and /run
is an empty tmpfs. Nothing on the system changes, and several instances can run at once. Mail
belongs to the unprivileged `practices-test` account, as with Dovecot.

    with CourierServer() as server:
        server.append("editor", "INBOX", raw_bytes)
"""

from __future__ import annotations

import base64
import ctypes
import hashlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from devserver.dovecot_setup import HOST, mail_owner, make_path_traversable
from devserver.imap_server import ImapTestServer, free_port, greets
from devserver.tls import write_tls_files

# Where scripts/setup-env unpacks Courier's packages.
COURIER_ROOT = Path(__file__).resolve().parents[1] / ".cache" / "courier" / "root"
COURIER_CONFIG = Path("/etc/courier")  # as Courier sees it, inside its namespace
AUTHDAEMON_SOCKET_DIR = Path("/run/courier/authdaemon")
START_TIMEOUT_SECONDS = 15.0
PR_SET_PDEATHSIG = 1

# Started by `sh` inside the private mount namespace; {base} is our temp dir. The settings
# are Debian's files (imapd, imapd-ssl), sourced as /usr/sbin/imapd and imapd-ssl do.
_RUN_SCRIPT = """set -e
# This shell is the first process of its PID namespace: ending it ends every server process.
trap 'exit 0' TERM
# Courier's compiled-in paths, here only: its packages over /usr and /etc, ours over /etc/courier.
mount -t overlay courier-usr -o lowerdir={root}/usr:/usr /usr
mount -t overlay courier-etc -o lowerdir={root}/etc:/etc /etc
mount --bind {base}/etc {config}
mount -t tmpfs -o mode=0755 courier-run /run
mkdir -p {socket_dir}
/usr/sbin/makeuserdb
set -a
. {config}/authdaemonrc
/usr/lib/courier/courier-authlib/authdaemond &
. {config}/imapd
. {config}/imapd-ssl
IMAP_IDLE_TIMEOUT={idle_seconds}
TLS_CERTFILE={base}/tls/courier.pem
TLS_TRUSTCERTS={base}/tls/ca.pem
TLS_CACHEFILE=
TCPD="/usr/sbin/couriertcpd -address={host} -maxprocs=40 -maxperip=40 -nodnslookup -noidentlookup"
$TCPD {imap_port} /usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir &
IMAP_TLS=1 $TCPD {imaps_port} /usr/bin/couriertls -server -tcpd \\
  /usr/lib/courier/courier/imaplogin /usr/bin/imapd Maildir &
wait
"""


class CourierStartError(RuntimeError):
    """Raised when Courier cannot be started here; says what is missing."""


def courier_unavailable() -> str:
    """Why Courier cannot run on this machine, or "" when it can."""
    if not (COURIER_ROOT / "usr" / "sbin" / "couriertcpd").exists():
        return (
            f"Courier's packages are not unpacked in {COURIER_ROOT} (scripts/setup-env "
            "downloads them with apt-get download; Courier is never installed)"
        )
    if os.geteuid() != 0:
        return "Courier runs in a private mount namespace with overlays, which needs root"
    return ""


def _end_with_parent() -> None:
    """In the child before exec: SIGKILL when the process that started it dies, so a test run
    killed outright leaves no Courier behind (`unshare --kill-child` then kills the namespace's
    first process, which ends the namespace; unshare itself blocks SIGTERM)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL))


def userdb_password(password: str) -> str:
    """`password` as userdb's `systempw` field takes it: {SHA256} and the base64 digest."""
    digest = hashlib.sha256(password.encode("utf-8")).digest()
    return "{SHA256}" + base64.b64encode(digest).decode("ascii")


class CourierServer(ImapTestServer):
    """Courier IMAP (plain and TLS) on free loopback ports, users in its own userdb."""

    def __init__(self, users: Mapping[str, str] | None = None, idle_seconds: int = 1) -> None:
        self.base_dir = Path(tempfile.mkdtemp(prefix="courier-"))
        self.host = HOST
        self.imap_port = self.imaps_port = 0
        self.ca_file = self.base_dir / "tls" / "ca.pem"
        self.namespace_prefix, self.separator = "INBOX.", "."
        # How often Courier looks for new mail during IDLE (IMAP_ENHANCEDIDLE is off).
        self.idle_seconds = idle_seconds
        self._users = dict({"editor": "secret"} if users is None else users)
        self._user_serial = 0
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        problem = courier_unavailable()
        if problem:
            raise CourierStartError(problem)
        self._owner = mail_owner()
        self._prepare_files()
        self.imap_port, self.imaps_port = free_port(HOST), free_port(HOST)
        script = _RUN_SCRIPT.format(
            root=COURIER_ROOT,
            base=self.base_dir,
            config=COURIER_CONFIG,
            socket_dir=AUTHDAEMON_SOCKET_DIR,
            idle_seconds=self.idle_seconds,
            host=HOST,
            imap_port=self.imap_port,
            imaps_port=self.imaps_port,
        )
        (self.base_dir / "run.sh").write_text(script, encoding="utf-8")
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
                    "--kill-child",
                    "sh",
                    str(self.base_dir / "run.sh"),
                ],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, ended as one by `stop`
                preexec_fn=_end_with_parent,  # only prctl, before exec
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

    def add_user(self, user: str, password: str) -> None:
        """A userdb account with its own Maildir, usable at once (authuserdb reopens the
        database when it changes)."""
        self._users[user] = password
        self._add_userdb_entry(user, password)
        self._in_namespace("/usr/sbin/makeuserdb")

    def _in_namespace(self, *command: str) -> None:
        """Run `command` where Courier's paths resolve (its mount namespace)."""
        process = self._process
        if process is None:
            return  # not started yet: the start script runs makeuserdb itself
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text()
        target = children.split()[0]
        subprocess.run(
            ["nsenter", f"--target={target}", "--mount", *command],
            capture_output=True,
            check=True,
        )

    def _add_userdb_entry(self, user: str, password: str) -> None:
        home = self.base_dir / "mail" / user
        maildir = home / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        for path in (home, maildir, *(maildir / sub for sub in ("cur", "new", "tmp"))):
            os.chown(path, self._owner.pw_uid, self._owner.pw_gid)
            path.chmod(0o700)
        fields = (
            f"uid={self._owner.pw_uid}|gid={self._owner.pw_gid}|home={home}|mail={maildir}"
            f"|systempw={userdb_password(password)}"
        )
        with (self.base_dir / "etc" / "userdb").open("a", encoding="utf-8") as entries:
            entries.write(f"{user}\t{fields}\n")

    def _prepare_files(self) -> None:
        self.base_dir.chmod(0o755)
        make_path_traversable(self.base_dir)
        shutil.copytree(COURIER_ROOT / "etc" / "courier", self.base_dir / "etc", symlinks=True)
        rc = self.base_dir / "etc" / "authdaemonrc"
        lines = [
            'authmodulelist="authuserdb"' if line.startswith("authmodulelist=") else line
            for line in rc.read_text(encoding="utf-8").splitlines()
        ]
        rc.write_text("\n".join(lines) + "\n", encoding="utf-8")
        userdb = self.base_dir / "etc" / "userdb"
        userdb.write_text("", encoding="utf-8")
        userdb.chmod(0o600)
        mail = self.base_dir / "mail"
        mail.mkdir(mode=0o755)
        tls = write_tls_files(self.base_dir / "tls")
        combined = self.base_dir / "tls" / "courier.pem"
        combined.write_bytes(tls.key_file.read_bytes() + tls.cert_file.read_bytes())
        combined.chmod(0o600)
        for user, password in self._users.items():
            self._add_userdb_entry(user, password)
