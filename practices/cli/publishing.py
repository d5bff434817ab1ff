"""`practices export`, `newsletter` and `purge`: what leaves the desk, and what is forgotten.

The newsletter's actions are in `practices.cli.newsletter`.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from core.catalogue import CHANGES, TABLES, label, word
from practices.cli import EXIT_OK, newsletter
from practices.cli.context import app_from, command, editor_name, guarded, lang_of, print_json, say
from review import export, purge
from store.models import utcnow

if TYPE_CHECKING:
    from practices.cli.context import SubParsers

EDITIONS = TABLES["editions"]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: use YYYY-MM-DD") from exc


def _export(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with app_from(args) as app, app.sessions.begin() as session:
        settings = app.settings
        report = export.export(
            session,
            app.blobs,
            Path(args.out),
            args.format,
            since=args.since,
            publishing=settings.publishing,
            config_source=settings.source,
        )
    if args.json:
        print_json(
            {
                "practices": report.practices,
                "files": report.files,
                "written": report.written,
                "removed": report.removed,
                "missing_photos": report.missing_photos,
                "missing_alt": report.missing_alt,
                "feed_skipped": report.feed_skipped,
            }
        )
        return EXIT_OK
    say(
        f"{label('exported', lang)}: {report.practices} → {args.out} ({len(report.files)} "
        f"{label('files', lang)}; {word(EDITIONS, 'written', lang)} {len(report.written)}, "
        f"{word(EDITIONS, 'removed_files', lang)} {len(report.removed)})"
    )
    if report.missing_photos:
        ids = ", ".join(f"#{n}" for n in report.missing_photos)
        say(f"{label('missing_photos', lang)}: {ids}", err=True)
    for draft_id in report.missing_alt:
        say(f"#{draft_id}: {word(EDITIONS, 'no_photo_alt', lang)}", err=True)
    if report.feed_skipped:
        say(word(EDITIONS, "feed_skipped", lang), err=True)
    return EXIT_OK


def _purge(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with app_from(args) as app, app.sessions.begin() as session:
        days = args.older_than or app.settings.retention_days
        report = purge.purge(
            session, app.blobs, days, editor_name(args), utcnow(), dry_run=args.dry_run
        )
    if args.json:
        print_json(
            {
                **report.counts(),
                "dry_run": report.dry_run,
                "draft_ids": report.draft_ids,
                "inbound_ids": report.inbound_ids,
            }
        )
        return EXIT_OK
    counts = report.counts()
    head = label("purge_dry_run" if args.dry_run else "purged", lang)
    say(
        f"{head} ({days} {label('days', lang)}): "
        + ", ".join(
            f"{word(CHANGES, k, lang)} {v}" for k, v in counts.items() if k != "older_than_days"
        )
    )
    return EXIT_OK


def register(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    """Add `export`, `newsletter` and `purge`, with the editors' common options."""
    exporting = command(
        subparsers,
        "export",
        guarded(_export),
        "export approved practices: a static site (html), Markdown, JSON or an Atom feed",
        parents=[common],
    )
    exporting.add_argument("--format", choices=export.FORMATS, required=True)
    exporting.add_argument("--since", type=_day, help="approved on or after YYYY-MM-DD")
    exporting.add_argument("--out", required=True, help="output directory")
    newsletter.register(subparsers, common)
    purging = command(
        subparsers,
        "purge",
        guarded(_purge),
        "forget raw mail and contacts of rejected/ignored items",
        parents=[common],
    )
    purging.add_argument(
        "--older-than",
        type=int,
        metavar="DAYS",
        help="retention in days (default: [retention] days)",
    )
    purging.add_argument("--dry-run", action="store_true", help="only count what would go")
