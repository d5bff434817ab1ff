"""The README's demo: a throwaway Dovecot seeded with sample submissions, one poll, the queue,
and the acknowledgements the submitters got, captured by a local SMTP server (STARTTLS, AUTH),
and the editors' console on the same data.

Run by `scripts/demo`. Everything lives in a temporary directory that is removed afterwards
(pass --keep to keep it and look at the data, the database and the raw messages). The run ends
by saying how to open the console with the demo account; `--web` serves it until Ctrl-C.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import os
import shutil
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

from core.config import load_settings
from devserver.dovecot import DovecotServer
from devserver.samples import sample_submissions
from devserver.smtp import SmtpServer
from practices.cli import main as practices
from review import accounts
from store.app import open_app

USER = "avoinhallinto"
WEB_ACCOUNT = "toimittaja"
WEB_PASSWORD = "demo-salasana"  # noqa: S105 - the demo's throwaway account, printed for the reader
PASSWORD_ENV = "PRACTICES_DEMO_IMAP_PASSWORD"  # noqa: S105 - a variable name, not a secret
SMTP_PASSWORD_ENV = "PRACTICES_DEMO_SMTP_PASSWORD"  # noqa: S105 - a variable name


def _config(base: Path, server: DovecotServer, smtp: SmtpServer, port: int) -> Path:
    path = base / "practices.toml"
    path.write_text(
        f"""# Written by the demo: IMAPS to a throwaway Dovecot, SQLite in data/, mail out through
# a local SMTP server that keeps what it receives.
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
sent_folder = "Lähetetyt"
create_missing_folders = true

[smtp]
host = "{smtp.host}"
port = {smtp.port}
security = "starttls"
ca_file = "{smtp.ca_file}"
username = "{USER}"
password_env = "{SMTP_PASSWORD_ENV}"
from_address = "avoinhallinto@vm.fi"
from_name = "Avoin hallinto"

[senders]
public_domains = ["*.fi"]
own_addresses = ["avoinhallinto@vm.fi"]

[web]
bind = "127.0.0.1:{port}"
# The demo serves plain HTTP on loopback; behind nginx with TLS keep the default (true).
secure_cookies = false

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


def _show_acknowledgements(smtp: SmtpServer) -> None:
    received = smtp.messages()
    print(f"The local SMTP server received {len(received)} mail(s):")
    for mail in received:
        message = email.message_from_bytes(mail.content, policy=email.policy.default)
        print(f"  to {', '.join(mail.rcpt_tos):32} {message['Subject']}")
    for mail in received[:2]:
        message = email.message_from_bytes(mail.content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        print(f"\n--- to {', '.join(mail.rcpt_tos)} ---")
        for name in ("From", "Subject", "In-Reply-To", "Auto-Submitted", "Content-Language"):
            print(f"{name}: {message[name]}")
        print()
        print(message.get_content().rstrip())


def _console(config: str, port: int, serve: bool) -> None:
    """Add the demo account; serve the console until Ctrl-C, or say how to."""
    settings = load_settings(config)
    app = open_app(settings)
    try:
        with app.sessions.begin() as session:
            accounts.add_account(session, WEB_ACCOUNT, WEB_PASSWORD)
        address = f"http://127.0.0.1:{port}/"
        login = f"account {WEB_ACCOUNT!r}, password {WEB_PASSWORD!r}"
        if not serve:
            print(
                "\nThe editors' console on this data: run `scripts/demo --web` and open "
                f"{address} ({login}); Ctrl-C stops it."
            )
            return
        _step("practices web")
        print(f"Open {address} and log in ({login}). Ctrl-C stops the console.", flush=True)
        from practices.web.server import serve as serve_console

        serve_console(app)
    finally:
        app.close()


def run(keep: bool, web: bool = False, port: int = 8080) -> int:
    base = Path(tempfile.mkdtemp(prefix="practices-demo-"))
    try:
        with (
            DovecotServer(base / "dovecot", users={USER: "demo-password"}) as server,
            SmtpServer(base / "smtp", users={USER: "demo-smtp-password"}) as smtp,
        ):
            os.environ[PASSWORD_ENV] = "demo-password"
            os.environ[SMTP_PASSWORD_ENV] = "demo-smtp-password"
            samples = sample_submissions()
            for raw in samples:
                server.append(USER, "INBOX", raw)
            print(f"Dovecot on 127.0.0.1:{server.imaps_port} (IMAPS), {len(samples)} messages")
            print(f"SMTP on 127.0.0.1:{smtp.port} (STARTTLS, AUTH), keeping what it receives")
            config = str(_config(base, server, smtp, port))
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
            _step("practices outbox send  (what the daemon does after each poll)")
            practices(["--config", config, "outbox", "send"])
            _step("practices outbox")
            practices(["--config", config, "outbox"])
            _step("acknowledgements received by the local SMTP server")
            _show_acknowledgements(smtp)
            print(
                f"\nIMAP folders after the poll: INBOX {len(server.list_uids(USER, 'INBOX'))}, "
                f"Käsitellyt {len(server.list_uids(USER, 'Käsitellyt'))}, "
                f"Lähetetyt {len(server.list_uids(USER, 'Lähetetyt'))} (copies of what we sent)"
            )
            _console(config, port, web)
        return code
    finally:
        if keep:
            print(f"\nkept: {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument(
        "--web", action="store_true", help="serve the editors' console until Ctrl-C"
    )
    parser.add_argument("--port", type=int, default=8080, help="the console's port (8080)")
    args = parser.parse_args(argv)
    return run(args.keep, args.web, args.port)


if __name__ == "__main__":
    sys.exit(main())
