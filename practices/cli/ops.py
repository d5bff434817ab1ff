"""Operator commands: check-config, db, poll, run, import, status, retry, reparse and more."""

from __future__ import annotations

import argparse
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.config import effective_toml
from core.errors import ConfigError, MailboxError, PracticesError
from core.vocabulary import Outcome
from ingest.importer import import_messages
from ingest.pipeline import Pipeline
from ingest.poller import MailboxPoller
from ingest.reparse import draft_ids, reparse
from ingest.verify import verify
from practices.checks import run_checks
from practices.cli import EXIT_FAILED, EXIT_OK
from practices.cli.context import (
    Handler,
    app_from,
    command,
    editor_name,
    print_json,
    say,
    settings_from,
)
from practices.cycle import run_cycle
from practices.health import check_health
from store import reports, schema
from store.db import make_engine
from store.files import open_data_dir

if TYPE_CHECKING:
    from practices.cli.context import SubParsers


def register(subparsers: SubParsers) -> None:
    """Add the operator commands."""
    command(
        subparsers,
        "check-config",
        check_config,
        "validate the configuration, print it, and check secrets and data_dir",
    ).add_argument(
        "--connect", action="store_true", help="also log in to the database and every mailbox"
    )
    db = subparsers.add_parser("db", help="database schema: upgrade, current")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    command(db_sub, "upgrade", db_upgrade, "apply schema migrations")
    command(db_sub, "current", db_current, "print the schema revision")
    command(subparsers, "poll", poll, "run exactly one cycle for every mailbox")
    command(subparsers, "run", run, "run the polling daemon until SIGTERM")
    command(
        subparsers, "import", import_path, "ingest an .eml file, a folder, a Maildir or an mbox"
    ).add_argument("path", type=Path)
    command(
        subparsers, "status", status, "per mailbox: last poll, counts, last error"
    ).add_argument("--json", action="store_true")
    _one_or_all(subparsers, "retry", retry, "run failed messages through the pipeline again")
    command(
        subparsers, "verify", verify_command, "prove nothing was lost or doubled (exit 1 if so)"
    ).add_argument("--store-only", action="store_true", help="skip reading the mailboxes")
    command(
        subparsers, "health", health_command, "exit non-zero when polling is stale or failing"
    ).add_argument("--json", action="store_true")
    _one_or_all(
        subparsers, "reparse", reparse_command, "re-run understanding on stored raw messages"
    )


def _one_or_all(subparsers: SubParsers, name: str, handler: Handler, help_text: str) -> None:
    """A command that takes one ID or --all (`_require_one_or_all` checks which)."""
    parser = command(subparsers, name, handler, help_text)
    parser.add_argument("id", nargs="?", type=int)
    parser.add_argument("--all", action="store_true")


def _require_one_or_all(args: argparse.Namespace, what: str) -> None:
    """`retry` and `reparse` take one ID or --all, never both or neither."""
    if (args.id is None) == (not args.all):
        raise PracticesError(f"give one {what} ID or --all")


def check_config(args: argparse.Namespace) -> int:
    """Print the settings in effect (valid TOML), then each check: ok ones as comments on
    stdout, failures on stderr; exit 1 when any check failed."""
    settings = settings_from(args)
    print(f"# configuration: {settings.source} (the settings in effect; secrets masked)")
    print(effective_toml(settings))
    findings = run_checks(settings, connect=args.connect)
    for finding in findings:
        if finding.ok:
            print(f"# ok: {finding.subject}: {finding.detail}")
    sys.stdout.flush()
    failed = [finding for finding in findings if not finding.ok]
    for finding in failed:
        print(f"practices: check-config: {finding.subject}: {finding.detail}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def db_upgrade(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    open_data_dir(settings.data_dir)
    engine = make_engine(settings.database_url)
    try:
        before = schema.current_revision(engine)
        schema.upgrade(engine)
        after = schema.current_revision(engine)
    finally:
        engine.dispose()
    print(f"schema: {before or 'empty'} -> {after}")
    return EXIT_OK


def db_current(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    engine = make_engine(settings.database_url)
    try:
        current, head = schema.current_revision(engine), schema.HEAD_REVISION
    finally:
        engine.dispose()
    print(f"schema: {current or 'empty'} (code needs {head})")
    return EXIT_OK if current == head else EXIT_FAILED


def poll(args: argparse.Namespace) -> int:
    """One cycle per mailbox; each summary printed once (stdout), each failure once (stderr).
    Isolated like the daemon's: a message that crashes or hangs a worker is recorded failed and
    moved, and the cycle goes on (`processing.message_timeout_seconds`)."""
    with app_from(args) as app, Pipeline(app, isolate=True) as pipeline:
        failed = False
        for mailbox in app.settings.mailboxes:
            cycle = run_cycle(app, MailboxPoller(app, mailbox, pipeline), threading.Event())
            if cycle.report is not None:
                print(cycle.report.summary())
            else:
                failed = True
                print(f"practices: {cycle.failure()}", file=sys.stderr)
        return EXIT_FAILED if failed else EXIT_OK


def run(args: argparse.Namespace) -> int:
    # Loaded here: the scheduler and the metrics cost every other command 0.2 s at start.
    from practices.daemon import Daemon

    with app_from(args) as app:
        if not app.settings.mailboxes:
            raise PracticesError("no [[mailbox]] configured: nothing to poll")
        Daemon(app).run()
    return EXIT_OK


def import_path(args: argparse.Namespace) -> int:
    # Every message in a worker, as under `run`: a decoder that crashes or hangs costs that
    # message (recorded failed), not the import.
    with app_from(args) as app, Pipeline(app, isolate=True) as pipeline:
        counts: Counter[str] = Counter()
        show_progress = sys.stderr.isatty()
        limit = app.settings.limits.max_message_bytes
        for done, (label, recorded) in enumerate(import_messages(pipeline, args.path, limit), 1):
            counts["known" if recorded.known_before else recorded.outcome.value] += 1
            if show_progress:
                print(
                    f"\r{done} messages  {dict(counts)}  {label[:40]:40}", end="", file=sys.stderr
                )
        if show_progress:
            print(file=sys.stderr)
        print("imported: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        return EXIT_OK


def _status_data(args: argparse.Namespace) -> list[dict[str, Any]]:
    with app_from(args) as app, app.readers() as session:
        configured = [m.name for m in app.settings.mailboxes]
        return [_status_json(status) for status in reports.mailbox_statuses(session, configured)]


def _status_json(status: reports.MailboxStatus) -> dict[str, Any]:
    """The stable JSON shape of one mailbox's status (documented in the README)."""
    return {
        "mailbox": status.mailbox,
        "configured": status.configured,
        "last_poll_at": status.last_poll_at.isoformat() if status.last_poll_at else None,
        "last_success_at": status.last_success_at.isoformat() if status.last_success_at else None,
        "consecutive_failures": status.consecutive_failures,
        "last_error": status.last_error,
        "counts": status.counts,
    }


def status(args: argparse.Namespace) -> int:
    data = _status_data(args)
    if args.json:
        print_json(data)
        return EXIT_OK
    for item in data:
        counts = ", ".join(f"{k} {v}" for k, v in item["counts"].items())
        print(f"{item['mailbox']}: last success {item['last_success_at'] or 'never'}; {counts}")
        if item["consecutive_failures"]:
            print(f"  failing {item['consecutive_failures']}x, last error: {item['last_error']}")
    return EXIT_OK


def retry(args: argparse.Namespace) -> int:
    _require_one_or_all(args, "message")
    # Isolated as under `run`: a failed message may be one that crashes or hangs a reader.
    with app_from(args) as app, Pipeline(app, isolate=True) as pipeline:
        with app.readers() as session:
            ids = reports.retryable_ids(session, args.id)
        if args.id is not None and not ids:
            raise PracticesError(f"message {args.id} is not a failed message with its raw kept")
        counts: Counter[str] = Counter()
        for inbound_id in ids:
            recorded = pipeline.retry(inbound_id)
            counts[recorded.outcome.value] += 1
            say(f"message {inbound_id}: {recorded.outcome.value} {recorded.reason[:100]}")
        print("retried: " + (", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"))
        return EXIT_FAILED if counts.get(Outcome.FAILED.value) else EXIT_OK


def reparse_command(args: argparse.Namespace) -> int:
    _require_one_or_all(args, "draft")
    with app_from(args) as app, Pipeline(app, isolate=True) as pipeline:
        actor = f"reparse:{editor_name(args)}"
        report = reparse(pipeline, draft_ids(pipeline, args.id), actor=actor)
    print(report.describe())
    return EXIT_FAILED if report.failed else EXIT_OK


STORE_ONLY_HINT = "; to check the store without the mailboxes, run `practices verify --store-only`"


def verify_command(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        try:
            report = verify(app, with_mailboxes=not args.store_only)
        except ConfigError as exc:  # the password cannot be read here
            raise ConfigError(exc.path, exc.key, exc.problem + STORE_ONLY_HINT) from exc
        except MailboxError as exc:
            raise MailboxError(f"{exc}{STORE_ONLY_HINT}") from exc
    for name, count in sorted(report.counts.items()):
        print(f"{count:>8}  {name}")
    for violation in report.violations:
        print(f"VIOLATION: {violation}")
    print("verify: OK" if report.ok else f"verify: {len(report.violations)} violation(s)")
    return EXIT_OK if report.ok else EXIT_FAILED


def health_command(args: argparse.Namespace) -> int:
    with app_from(args) as app:
        report = check_health(app)
    if args.json:
        print_json(
            {
                "healthy": report.healthy,
                "problems": report.problems,
                "warnings": report.warnings,
                "facts": report.facts,
            }
        )
    else:
        for fact in report.facts:
            print(fact)
        for warning in report.warnings:
            print(f"WARNING: {warning}")
        for problem in report.problems:
            print(f"UNHEALTHY: {problem}")
        print("health: OK" if report.healthy else "health: FAILING")
    return EXIT_OK if report.healthy else EXIT_FAILED
