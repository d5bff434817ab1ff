"""The README's production install, run as written under a temporary root, then started as the
units start it: the proof that an operator who follows the README gets a working service.

The commands are read from the README's "Production install" block and run in one root shell
(`set -e`, each echoed as it runs), with only these substitutions:
- the install's paths (`/opt/practice-inbox`, `/etc/practice-inbox`, `/var/lib/practice-inbox`,
  `/etc/systemd/system/`) move under the temporary root;
- the service user `practice-inbox` is a fresh system user of this run (removed at the end), so
  two runs never meet and an existing service user is never touched;
- `<this repository>` is a git repository holding exactly this working tree;
- `editor` is a script that types what an operator would (the mailbox into the example
  configuration, the password into the password file), keeping the file's owner and mode;
- `systemctl` lines are not run (no systemd in a test); instead each unit is checked with
  `systemd-analyze verify` and `security`, and its ExecStartPre/ExecStart lines run as its
  `User=`, with its `Environment=`, through `setpriv`, as systemd would start them.
Needs root (useradd, runuser, setpriv), git, python3-venv and systemd-analyze.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
UNITS = ("practice-inbox.service", "practice-inbox-health.service", "practice-inbox-health.timer")
PATHS = ("/opt/practice-inbox", "/etc/practice-inbox", "/var/lib/practice-inbox")
# `practice-inbox` as a user or group name (install -o/-g, runuser -u, the end of useradd, a
# unit's User= and Group=), never as part of a path or a unit name.
SERVICE_USER = re.compile(
    r"(?<=-[ogu] )practice-inbox(?![\w/.-])|(?<= )practice-inbox$"
    r"|(?<=^User=)practice-inbox$|(?<=^Group=)practice-inbox$",
    re.M,
)
ROOT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
EDITOR = """#!/bin/sh
# The operator's editor, scripted: writes what the operator would type, in place (owner and
# mode stay as `install` made them).
case "$1" in
  */config.toml) cat "$INSTALL_CHECK_CONFIG" > "$1" ;;
  */imap-password) printf '%s\\n' "$INSTALL_CHECK_PASSWORD" > "$1" ;;
  *) echo "editor: no scripted edit for $1" >&2; exit 1 ;;
esac
"""


@dataclass(frozen=True)
class Mailbox:
    """The IMAP account the installed service is pointed at."""

    host: str
    port: int
    ca_file: Path
    username: str
    password: str


@dataclass
class Step:
    """One thing run, what it printed and how it ended."""

    title: str
    returncode: int
    output: str


@dataclass
class InstallRun:
    """The README's install under `root`, for `user`; `steps` in the order run."""

    root: Path
    user: str = field(default_factory=lambda: f"pi{uuid.uuid4().hex[:8]}")
    steps: list[Step] = field(default_factory=list)

    # -- substitutions ------------------------------------------------------------------------

    def place(self, text: str) -> str:
        """`text` with the install's paths under the root and the service user replaced."""
        for path in (*PATHS, "/etc/systemd/system/"):
            text = text.replace(path, f"{self.root}{path}")
        return SERVICE_USER.sub(self.user, text)

    def commands(self, readme: str, repository: Path) -> list[str]:
        """The README's install block, substituted; `systemctl` lines left out."""
        section = readme.split("## Production install", 1)[1]
        block = section.split("```sh\n", 1)[1].split("```", 1)[0]
        lines = [line.split("  #", 1)[0].strip() for line in block.splitlines()]
        return [
            self.place(line).replace("<this repository>", str(repository))
            for line in lines
            if line and not line.startswith("systemctl")
        ]

    # -- running ------------------------------------------------------------------------------

    def run(self, title: str, argv: list[str], env: dict[str, str], timeout: float = 600) -> Step:
        done = subprocess.run(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
            cwd="/",
        )
        step = Step(title, done.returncode, done.stdout)
        self.steps.append(step)
        return step

    def install(self, mailbox: Mailbox) -> Step:
        """Run the README's commands in one root shell; the step fails at the first failure."""
        for skeleton in ("opt", "etc/systemd/system", "var/lib"):  # what Debian already has
            (self.root / skeleton).mkdir(mode=0o755, parents=True, exist_ok=True)
        bin_dir = self.root / "operator-bin"
        bin_dir.mkdir()
        (bin_dir / "editor").write_text(EDITOR, encoding="utf-8")
        (bin_dir / "editor").chmod(0o755)
        config = self.root / "operator-config.toml"
        config.write_text(self.edited_config(mailbox), encoding="utf-8")
        env = {
            **{k: v for k, v in os.environ.items() if k.startswith("PIP_")},
            "PATH": f"{bin_dir}:{ROOT_PATH}",
            "HOME": "/root",
            "LANG": "C.UTF-8",
            "INSTALL_CHECK_CONFIG": str(config),
            "INSTALL_CHECK_PASSWORD": mailbox.password,
        }
        repository = snapshot(self.root / "repository")
        script = ["set -e"]
        for command in self.commands((REPO / "README.md").read_text("utf-8"), repository):
            script += [f"printf '%s\\n' {shell_quote('$ ' + command)}", command]
        return self.run("README install", ["bash", "-c", "\n".join(script)], env)

    def edited_config(self, mailbox: Mailbox) -> str:
        """config.example.toml as the operator leaves it: their mailbox, no mail out, the
        README's paths."""
        text = (REPO / "config.example.toml").read_text("utf-8")
        edits = {
            "host": f'"{mailbox.host}"',
            "port": str(mailbox.port),
            "ca_file": f'"{mailbox.ca_file}"',
            "username": f'"{mailbox.username}"',
        }
        for key, value in edits.items():
            text = re.sub(rf"^{key} = .*$", f"{key} = {value}", text, count=1, flags=re.M)
        # No mail out in this install: [smtp] host emptied, as the example says to.
        before, smtp, after = text.partition("\n[smtp]\n")
        after = re.sub(r"^host = .*$", 'host = ""', after, count=1, flags=re.M)
        return self.place(before + smtp + after)

    # -- the units ----------------------------------------------------------------------------

    def unit(self, name: str) -> Path:
        return self.root / "etc/systemd/system" / name

    def check_units(self) -> None:
        """`systemd-analyze verify` and `security` on each installed unit, as it will run."""
        checked = self.root / "units-as-run"
        checked.mkdir()
        for name in UNITS:
            placed = checked / name
            placed.write_text(self.place(self.unit(name).read_text("utf-8")), encoding="utf-8")
        env = {"PATH": ROOT_PATH, "LANG": "C.UTF-8", "SYSTEMD_LOG_LEVEL": "warning"}
        units = [str(checked / name) for name in UNITS]
        self.run("systemd-analyze verify", ["systemd-analyze", "verify", *units], env)
        for name in UNITS[:2]:
            self.run(
                f"systemd-analyze security {name}",
                ["systemd-analyze", "security", "--offline=true", str(checked / name)],
                env,
            )

    def service(self, name: str) -> dict[str, list[str]]:
        """The [Service] settings of an installed unit, substituted as everything else."""
        settings: dict[str, list[str]] = {}
        for line in self.place(self.unit(name).read_text("utf-8")).splitlines():
            key, eq, value = line.partition("=")
            if eq and not line.startswith("#"):
                settings.setdefault(key.strip(), []).append(value.strip())
        return settings

    def as_unit_runs(self, service: dict[str, list[str]]) -> tuple[list[str], dict[str, str]]:
        """The setpriv prefix and environment systemd would give the unit's commands."""
        user, group = service["User"][0], service["Group"][0]
        assignments = list(service.get("Environment", []))
        for item in service.get("EnvironmentFile", []):
            path = Path(item.removeprefix("-"))
            if path.exists():
                assignments += [line for line in path.read_text().splitlines() if "=" in line]
        env = {"PATH": ROOT_PATH, "LANG": "C.UTF-8"}
        for assignment in assignments:
            name, _eq, value = assignment.partition("=")
            env[name] = value
        prefix = ["setpriv", f"--reuid={user}", f"--regid={group}", "--init-groups", "--"]
        return prefix, env

    def start_daemon(self, wait_for: str, seconds: float = 120) -> Step:
        """ExecStartPre, then ExecStart until `wait_for` is logged, then SIGTERM (a stop)."""
        service = self.service("practice-inbox.service")
        prefix, env = self.as_unit_runs(service)
        for command in service.get("ExecStartPre", []):
            step = self.run(f"ExecStartPre={command}", prefix + command.split(), env)
            if step.returncode != 0:
                return step
        [command] = service["ExecStart"]
        log = self.root / "daemon.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                prefix + command.split(), env=env, stdout=out, stderr=subprocess.STDOUT, cwd="/"
            )
        deadline = time.monotonic() + seconds
        while wait_for not in log.read_text("utf-8", "replace"):
            if process.poll() is not None or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=seconds)
        step = Step(f"ExecStart={command} (until {wait_for!r}, then SIGTERM)", code, "")
        step.output = log.read_text("utf-8", "replace")
        self.steps.append(step)
        return step

    def run_health(self) -> Step:
        service = self.service("practice-inbox-health.service")
        prefix, env = self.as_unit_runs(service)
        [command] = service["ExecStart"]
        return self.run(f"health unit: ExecStart={command}", prefix + command.split(), env)

    def close(self) -> None:
        """Remove the run's user and group; the root is the caller's to remove."""
        subprocess.run(["userdel", self.user], capture_output=True, check=False)
        subprocess.run(["groupdel", self.user], capture_output=True, check=False)


def snapshot(target: Path) -> Path:
    """A git repository at `target` holding this working tree's files as one commit, so the
    README's `git clone` gets what is being tested, committed or not."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    for name in filter(None, listed.split("\0")):
        source = REPO / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git = ["git", "-C", str(target), "-c", "user.name=install", "-c", "user.email=i@localhost"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "snapshot"], check=True)
    return target


def shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def temporary_root() -> Path:
    """A root directory every user can traverse (the service user must reach its files)."""
    root = Path(tempfile.mkdtemp(prefix="install-root-", dir="/tmp"))
    root.chmod(0o755)
    return root


def install_and_start(run: InstallRun, mailbox: Mailbox, deliver: Callable[[], object]) -> bool:
    """Install as the README says, check the units, start the daemon on one delivered message
    and stop it, run the health check; True when every step ended well."""
    if run.install(mailbox).returncode != 0:
        return False
    run.check_units()
    deliver()
    run.start_daemon(wait_for="moved 1")
    run.run_health()
    return all(step.returncode == 0 for step in run.steps)


def main() -> int:
    """`scripts/install_check`: the whole run against a throwaway Dovecot, printed."""
    from devserver.dovecot import DovecotServer
    from tests.integration.harness import submission

    root = temporary_root()
    run = InstallRun(root)
    try:
        with DovecotServer(users={}) as server:
            username, password = server.fresh_user()
            for folder in ("Käsitellyt", "Virheelliset"):
                server.create_folder(username, folder)
            mailbox = Mailbox(server.host, server.imaps_port, server.ca_file, username, password)
            ok = install_and_start(
                run, mailbox, lambda: server.append(username, "INBOX", submission())
            )
    finally:
        run.close()
        shutil.rmtree(root, ignore_errors=True)
    for step in run.steps:
        print(f"=== {step.title}: exit {step.returncode}")
        shown = step.output.rstrip()
        if step.title.startswith("systemd-analyze security"):  # the score, not the 80 lines
            shown = shown.splitlines()[-1] if shown else ""
        print(shown)
    print(f"install_check: {'OK' if ok else 'FAILED'} (service user {run.user}, root {root})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())


def exposure(step: Step) -> float:
    """The overall exposure `systemd-analyze security` printed (0 best, 10 worst)."""
    found = re.search(r"Overall exposure level for \S+: ([0-9.]+)", step.output)
    if found is None:
        raise ValueError(f"no exposure level in: {step.output[-500:]}")
    return float(found.group(1))
