"""The editors' desk on the command line: `practices review ...`, `export`, `newsletter`, `purge`.

Every change goes through `review.operations`, one operation per unit of work, so the command
line and a web console enforce the same rules and write the same audit trail. Finnish by default,
English with `--lang en`; `--json` prints the stable shapes documented in `review.rendering`.
The editor's name comes from `--editor`, $PRACTICES_EDITOR or the login name.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from practices.cli.context import app_from, print_json
from review import editing, export, newsletter, operations, purge
from review.errors import InvalidField, ReviewError
from review.rendering import (
    change_label,
    draft_json,
    draft_summary_json,
    draft_table,
    event_json,
    t,
)
from review.views import history_text, show_text
from store.models import PracticeDraft, ReviewEvent, utcnow

EXIT_OK = 0
EXIT_FAILED = 1
EDITOR_ENV = "PRACTICES_EDITOR"

Handler = Callable[[argparse.Namespace], int]


def editor_name(args: argparse.Namespace) -> str:
    """Who is acting: --editor, then $PRACTICES_EDITOR, then the login name."""
    chosen = getattr(args, "editor", None) or os.environ.get(EDITOR_ENV)
    if chosen:
        return str(chosen)
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "tuntematon"


def _lang(args: argparse.Namespace) -> str:
    return "en" if getattr(args, "lang", "fi") == "en" else "fi"


def _guarded(handler: Handler) -> Handler:
    """Print a refused review operation in the editor's language and fail with exit 1."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ReviewError as exc:
            print(f"practices: {exc.text(_lang(args))}", file=sys.stderr)
            return EXIT_FAILED

    return run


def _list(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.readers() as session:
        drafts = operations.list_drafts(
            session,
            status=args.status,
            flag=args.flag,
            theme=args.theme,
            organisation=args.organisation,
            month=args.month,
        )
        if args.json:
            print_json([draft_summary_json(d) for d in drafts])
        else:
            print(draft_table(drafts, _lang(args)))
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.readers() as session:
        draft = operations.get_draft(session, args.id)
        if args.json:
            print_json(draft_json(draft))
        else:
            print(show_text(draft, app.settings.data_dir, _lang(args)))
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.readers() as session:
        events = list(operations.history(session, args.id))
        if args.json:
            print_json([event_json(e) for e in events])
        else:
            print(history_text(events, _lang(args)))
    return EXIT_OK


def _report(args: argparse.Namespace, draft: PracticeDraft, event: ReviewEvent | None) -> None:
    lang = _lang(args)
    if args.json:
        print_json({"event": event_json(event) if event else None, "draft": draft_json(draft)})
    elif event is None:
        print(t("no_changes", lang))
    else:
        changed = ", ".join(
            change_label(k, lang) for k in event.changes if k not in ("forced", "open_flags")
        )
        print(
            f"{t('saved', lang)}: #{draft.id} {t(event.action, lang)} ({changed}), "
            f"{t('version', lang)} {draft.version}"
        )


def _change(args: argparse.Namespace, apply: Callable[..., ReviewEvent | None]) -> int:
    """Run one operation in its own unit of work and report the result."""
    with app_from(args) as app, app.sessions.begin() as session:
        event = apply(session, editor_name(args))
        _report(args, operations.get_draft(session, args.id), event)
    return EXIT_OK


def _parse_sets(pairs: list[str]) -> dict[str, str]:
    changes: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise InvalidField(
                f"--set {pair!r}: käytä muotoa KENTTÄ=ARVO.", f"--set {pair!r}: use FIELD=VALUE."
            )
        changes[name.strip()] = value.replace("\\n", "\n")
    return changes


def _keep_text(draft_id: int, text: str) -> Path:
    """Save an editor's text that could not be stored, so no typing is lost."""
    handle, name = tempfile.mkstemp(prefix=f"practices-luonnos-{draft_id}-", suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    return Path(name)


def _confirm(lang: str) -> bool:
    try:
        answer = input(t("confirm", lang))
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "k", "kyllä", "kylla")


def _edit(args: argparse.Namespace) -> int:
    lang = _lang(args)
    if args.set:
        changes = _parse_sets(args.set)
        return _change(
            args,
            lambda s, actor: operations.edit_fields(
                s, args.id, changes, actor, args.note, args.expected_version
            ),
        )
    with app_from(args) as app:
        with app.sessions.begin() as session:
            draft = operations.get_draft(session, args.id)
            original = editing.render_for_editing(draft, lang)
            version = args.expected_version or draft.version
        edited = editing.run_editor(original)
        try:
            changes = editing.changed_fields(draft, editing.parse_edited(edited))
        except ReviewError as exc:
            kept = _keep_text(args.id, edited)
            raise ReviewError(
                f"{exc.message_fi} Tekstisi on tallessa: {kept}",
                f"{exc.message_en} Your text is kept in: {kept}",
            ) from exc
        if not changes:
            print(t("no_changes", lang))
            return EXIT_OK
        print(editing.diff_text(draft, changes, lang))
        if not args.yes and not _confirm(lang):
            print(t("cancelled", lang))
            return EXIT_OK
        try:
            with app.sessions.begin() as session:
                event = operations.edit_fields(
                    session, args.id, changes, editor_name(args), args.note, version
                )
                _report(args, operations.get_draft(session, args.id), event)
        except ReviewError as exc:
            kept = _keep_text(args.id, edited)
            raise ReviewError(
                f"{exc.message_fi} Tekstisi on tallessa: {kept}",
                f"{exc.message_en} Your text is kept in: {kept}",
            ) from exc
    return EXIT_OK


def _theme(args: argparse.Namespace) -> int:
    return _change(
        args,
        lambda s, actor: operations.set_theme(
            s, args.id, args.key, actor, args.note, args.expected_version
        ),
    )


def _photo(args: argparse.Namespace) -> int:
    return _change(
        args,
        lambda s, actor: operations.choose_main_photo(
            s,
            args.id,
            actor,
            index=args.n,
            note=args.note,
            expected_version=args.expected_version,
        ),
    )


def _approve(args: argparse.Namespace) -> int:
    return _change(
        args,
        lambda s, actor: operations.approve(
            s, args.id, actor, args.force, args.note, args.expected_version
        ),
    )


def _reject(args: argparse.Namespace) -> int:
    return _change(
        args,
        lambda s, actor: operations.reject(
            s, args.id, actor, args.reason, args.note, args.expected_version
        ),
    )


def _reopen(args: argparse.Namespace) -> int:
    return _change(
        args,
        lambda s, actor: operations.reopen(s, args.id, actor, args.note, args.expected_version),
    )


def _common() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--lang", choices=("fi", "en"), default="fi", help="fi (default) or en")
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    common.add_argument("--editor", help="your name in the audit trail ($PRACTICES_EDITOR)")
    return common


def _changing(common: argparse.ArgumentParser) -> argparse.ArgumentParser:
    changing = argparse.ArgumentParser(add_help=False, parents=[common])
    changing.add_argument("--note", default="", help="a note for the audit trail")
    changing.add_argument(
        "--expected-version", type=int, help="refuse if the draft is no longer at this version"
    )
    return changing


def _register_review(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    common = _common()
    changing = _changing(common)
    group = subparsers.add_parser("review", help="list, show, edit, approve and reject drafts")
    commands = group.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    def add(name: str, handler: Handler, help_text: str, *, change: bool) -> Any:
        parser = commands.add_parser(name, help=help_text, parents=[changing if change else common])
        parser.set_defaults(handler=_guarded(handler))
        return parser

    listing = add("list", _list, "drafts as a table", change=False)
    listing.add_argument("--status", help="draft | approved | rejected")
    listing.add_argument("--flag", help="only drafts with this flag code")
    listing.add_argument("--theme", help="theme key or Finnish name; 'none' for no theme")
    listing.add_argument("--organisation", help="part of the organisation's name")
    listing.add_argument("--month", help="received in this month, YYYY-MM")
    add("show", _show, "one draft in full", change=False).add_argument("id", type=int)
    add("history", _history, "a draft's audit trail", change=False).add_argument("id", type=int)
    edit = add("edit", _edit, "edit fields in $EDITOR or with --set", change=True)
    edit.add_argument("id", type=int)
    edit.add_argument("--set", action="append", metavar="FIELD=VALUE", help="repeatable")
    edit.add_argument("--yes", action="store_true", help="save without asking")
    theme = add("theme", _theme, "set the theme", change=True)
    theme.add_argument("id", type=int)
    theme.add_argument("key", help="theme key or Finnish name, e.g. open_data or 'avoin data'")
    photo = add("photo", _photo, "choose the main photo (number as `show` lists)", change=True)
    photo.add_argument("id", type=int)
    photo.add_argument("n", type=int)
    approve = add("approve", _approve, "approve a draft", change=True)
    approve.add_argument("id", type=int)
    approve.add_argument("--force", action="store_true", help="approve despite open flags")
    reject = add("reject", _reject, "reject a draft with a reason", change=True)
    reject.add_argument("id", type=int)
    reject.add_argument("--reason", required=True)
    add("reopen", _reopen, "return a draft to review", change=True).add_argument("id", type=int)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r}: use YYYY-MM-DD") from exc


def _export(args: argparse.Namespace) -> int:
    lang = _lang(args)
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
    print(
        f"{t('exported', lang)}: {report.practices} → {args.out} ({len(report.files)} "
        f"{t('files', lang)})"
    )
    if report.missing_photos:
        ids = ", ".join(f"#{n}" for n in report.missing_photos)
        print(f"{t('missing_photos', lang)}: {ids}", file=sys.stderr)
    return EXIT_OK


def _newsletter(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with app_from(args) as app, app.sessions.begin() as session:
        digest = newsletter.build_newsletter(session, args.month)
    if args.out:
        paths = digest.write(Path(args.out))
        if args.json:
            print_json(
                {"month": digest.month, "count": digest.count, "files": [str(p) for p in paths]}
            )
        else:
            print(
                f"{t('newsletter', lang)} {digest.month}: {digest.count} → "
                + ", ".join(str(p) for p in paths)
            )
    elif args.json:
        print_json(
            {"month": digest.month, "count": digest.count, "text": digest.text, "html": digest.html}
        )
    else:
        sys.stdout.write(digest.text)
    return EXIT_OK


def _purge(args: argparse.Namespace) -> int:
    lang = _lang(args)
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
    head = t("purge_dry_run" if args.dry_run else "purged", lang)
    print(
        f"{head} ({days} {t('days', lang)}): "
        + ", ".join(f"{t(k, lang)} {v}" for k, v in counts.items() if k != "older_than_days")
    )
    return EXIT_OK


def _register_publishing(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    common = _common()
    exporting = subparsers.add_parser(
        "export", parents=[common], help="export approved practices as JSON, Markdown or HTML"
    )
    exporting.add_argument("--format", choices=export.FORMATS, required=True)
    exporting.add_argument("--since", type=_day, help="approved on or after YYYY-MM-DD")
    exporting.add_argument("--out", required=True, help="output directory")
    exporting.set_defaults(handler=_guarded(_export))
    digest = subparsers.add_parser(
        "newsletter", parents=[common], help="the month's newsletter draft (YYYY-MM)"
    )
    digest.add_argument("month", help="YYYY-MM")
    digest.add_argument("--out", help="write .txt and .html here (default: print the text)")
    digest.set_defaults(handler=_guarded(_newsletter))
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
    purging.set_defaults(handler=_guarded(_purge))


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `review` and the top-level `export`, `newsletter` and `purge` commands."""
    _register_review(subparsers)
    _register_publishing(subparsers)
