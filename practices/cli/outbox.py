"""Outbox commands: list the mail we send and its state, retry one, send what is due, show one."""

from __future__ import annotations

import argparse
import email
import email.policy
import sys
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any

from core.errors import PracticesError
from core.vocabulary import MailStatus
from practices.cli import EXIT_FAILED, EXIT_OK
from practices.cli.context import app_from, command, print_json
from practices.mailout.compose import compose, render
from practices.mailout.sender import OutboxSender
from practices.mailout.templates import Templates
from store import outbox
from store.models import OutboxMail

if TYPE_CHECKING:
    from practices.cli.context import SubParsers


def register(subparsers: SubParsers) -> None:
    """Add `practices outbox` and its actions."""
    p = command(subparsers, "outbox", list_outbox, "mail we send: list, retry ID, send, show ID")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    p.add_argument("--status", choices=[status.value for status in MailStatus])
    p.add_argument("--limit", type=int, default=100, help="newest N mails (default 100)")
    actions = p.add_subparsers(dest="outbox_command", metavar="ACTION")
    command(actions, "retry", retry_mail, "send a failed or waiting mail again now").add_argument(
        "id", type=int
    )
    command(actions, "send", send_due, "send every mail due now, once (for cron and tests)")
    command(actions, "show", show_mail, "print one mail as it is (or will be) sent").add_argument(
        "id", type=int
    )


def mail_json(row: OutboxMail) -> dict[str, Any]:
    """The stable JSON shape of one outbox mail (documented in the README)."""
    return {
        "id": row.id,
        "kind": row.kind,
        "status": row.status,
        "recipients": list(row.recipients),
        "language": row.language,
        "message_id": row.message_id,
        "draft_id": row.draft_id,
        "reference": row.context.get("reference"),
        "attempts": row.attempts,
        "last_error": row.last_error,
        "created_at": row.created_at.isoformat(),
        "next_attempt_at": row.next_attempt_at.isoformat(),
        "sent_at": row.sent_at.isoformat() if row.sent_at else None,
        "copied": row.copied,
    }


def list_outbox(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.readers() as session:
        rows = [mail_json(row) for row in outbox.mails(session, args.status, args.limit)]
        depth = outbox.depth(session)
    if args.json:
        print_json(rows)
        return EXIT_OK
    print("outbox: " + ", ".join(f"{status} {count}" for status, count in depth.items()))
    for r in rows:
        when = r["sent_at"] or f"next {r['next_attempt_at']}"
        print(
            f"{r['id']:>6} {r['kind']:15} {r['status']:8} {r['attempts']:>2}x "
            f"{', '.join(r['recipients'])[:40]:40} {when[:25]}"
        )
        if r["last_error"]:
            print(f"       {r['last_error'][:200]}")
    return EXIT_OK


def retry_mail(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.sessions.begin() as session:
        row = outbox.retry(session, args.id)
        if row is None:
            raise PracticesError(f"outbox mail {args.id} is not a failed or waiting mail")
        print(
            f"outbox mail {args.id}: queued; `practices run` sends it (or `practices outbox send`)"
        )
    return EXIT_OK


def send_due(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        if not app.settings.smtp.enabled:
            raise PracticesError("[smtp] host is not set: mail out is off")
        report = OutboxSender(app).drain()
    print(report.summary())
    return EXIT_FAILED if report.deferred or report.failed else EXIT_OK


def show_mail(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.readers() as session:
        row = session.get(OutboxMail, args.id)
        if row is None:
            raise PracticesError(f"no outbox mail {args.id}")
        raw = row.rendered.encode("ascii") or compose(
            row, render(row, Templates(app.settings.outbox.templates_dir)), app.settings
        )
    # Headers decoded and the body as read, not as quoted-printable on the wire.
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    for name, value in message.items():
        print(f"{name}: {value}")
    print()
    sys.stdout.write(message.get_content())
    return EXIT_OK
