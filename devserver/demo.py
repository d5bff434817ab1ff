"""The README's demo: a throwaway Dovecot seeded with sample submissions, one poll, the queue.

Run by `scripts/demo`. Everything lives in a temporary directory that is removed afterwards
(pass --keep to keep it and look at the data, the database and the raw messages).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from devserver.dovecot import DovecotServer
from devserver.samples import sample_submissions
from practices.cli import main as practices

USER = "avoinhallinto"
PASSWORD_ENV = "PRACTICES_DEMO_IMAP_PASSWORD"  # noqa: S105 - a variable name, not a secret


def _config(base: Path, server: DovecotServer) -> Path:
    path = base / "practices.toml"
    path.write_text(
        f"""# Written by the demo: IMAPS to a throwaway Dovecot, SQLite in data/.
[storage]
data_dir = "{base / "data"}"

[[mailbox]]
name = "avoinhallinto"
host = "{server.host}"
port = {server.imaps_port}
security = "tls"
ca_file = "{server.ca_file}"
username = "{USER}"
password_env = "{PASSWORD_ENV}"
processed_folder = "Käsitellyt"
failed_folder = "Virheelliset"

[senders]
public_domains = ["*.fi"]
own_addresses = ["avoinhallinto@vm.fi"]

[organisations]
"vm.fi" = "Valtiovarainministeriö"
"vaasa.fi" = "Vasa stad"
"hel.fi" = "Helsingin kaupunki"
""",
        encoding="utf-8",
    )
    return path


def _step(title: str) -> None:
    print(f"\n=== {title} ===", flush=True)


def run(keep: bool) -> int:
    base = Path(tempfile.mkdtemp(prefix="practices-demo-"))
    try:
        with DovecotServer(base / "dovecot", users={USER: "demo-password"}) as server:
            os.environ[PASSWORD_ENV] = "demo-password"
            samples = sample_submissions()
            for raw in samples:
                server.append(USER, "INBOX", raw)
            print(f"Dovecot on 127.0.0.1:{server.imaps_port} (IMAPS), {len(samples)} messages")
            config = str(_config(base, server))
            _step("practices db upgrade")
            practices(["--config", config, "db", "upgrade"])
            _step("practices poll")
            code = practices(["--config", config, "poll"])
            _step("practices messages")
            practices(["--config", config, "messages"])
            _step("practices review list")
            practices(["--config", config, "review", "list"])
            for draft_id in ("1", "4"):
                _step(f"practices review show {draft_id}")
                practices(["--config", config, "review", "show", draft_id])
            print(
                f"\nIMAP folders after the poll: INBOX {len(server.list_uids(USER, 'INBOX'))}, "
                f"Käsitellyt {len(server.list_uids(USER, 'Käsitellyt'))}"
            )
        return code
    finally:
        if keep:
            print(f"\nkept: {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return run(parser.parse_args(argv).keep)


if __name__ == "__main__":
    sys.exit(main())
