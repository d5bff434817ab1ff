"""`practices export`, `newsletter` and `purge`: what leaves the desk, and what is forgotten."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path

from core.catalogue import CHANGES, label, word
from practices.cli import EXIT_OK
from practices.cli.context import app_from, editor_name, lang_of, print_json, say
from review import export, newsletter, purge
from store.models import utcnow

Handler = Callable[[argparse.Namespace], int]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: use YYYY-MM-DD") from exc


def _export(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with app_from(args) as app, app.sessions.begin() as session:
        report = export.export(session, app.blobs, Path(args.out), args.format, since=args.since)
    if args.json:
        print_json(
            {
                "practices": report.practices,
                "files": report.files,
                "missing_photos": report.missing_photos,
            }
        )
        return EXIT_OK
    say(
        f"{label('exported', lang)}: {report.practices} → {args.out} ({len(report.files)} "
        f"{label('files', lang)})"
    )
    if report.missing_photos:
        ids = ", ".join(f"#{n}" for n in report.missing_photos)
        say(f"{label('missing_photos', lang)}: {ids}", err=True)
    return EXIT_OK


def _newsletter(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with app_from(args) as app, app.sessions.begin() as session:
        digest = newsletter.build_newsletter(session, args.month)
    if args.out:
        paths = digest.write(Path(args.out))
        if args.json:
            print_json(
                {"month": digest.month, "count": digest.count, "files": [str(p) for p in paths]}
            )
        else:
            say(
                f"{label('newsletter', lang)} {digest.month}: {digest.count} → "
                + ", ".join(str(p) for p in paths)
            )
    elif args.json:
        print_json(
            {"month": digest.month, "count": digest.count, "text": digest.text, "html": digest.html}
        )
    else:
        say(digest.text.rstrip("\n"))
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


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
    guarded: Callable[[Handler], Handler],
) -> None:
    """Add `export`, `newsletter` and `purge`, with the editors' common options."""
    exporting = subparsers.add_parser(
        "export", parents=[common], help="export approved practices as JSON, Markdown or HTML"
    )
    exporting.add_argument("--format", choices=export.FORMATS, required=True)
    exporting.add_argument("--since", type=_day, help="approved on or after YYYY-MM-DD")
    exporting.add_argument("--out", required=True, help="output directory")
    exporting.set_defaults(handler=guarded(_export))
    digest = subparsers.add_parser(
        "newsletter", parents=[common], help="the month's newsletter draft (YYYY-MM)"
    )
    digest.add_argument("month", help="YYYY-MM")
    digest.add_argument("--out", help="write .txt and .html here (default: print the text)")
    digest.set_defaults(handler=guarded(_newsletter))
    purging = subparsers.add_parser(
        "purge", parents=[common], help="forget raw mail and contacts of rejected/ignored items"
    )
    purging.add_argument(
        "--older-than",
        type=int,
        metavar="DAYS",
        help="retention in days (default: [retention] days)",
    )
    purging.add_argument("--dry-run", action="store_true", help="only count what would go")
    purging.set_defaults(handler=guarded(_purge))
