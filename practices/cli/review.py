"""The editors' desk on the command line: `practices review ...` (reading and the parsers).

Every change goes through `review.operations`, one operation per unit of work, so the command
line and a web console enforce the same rules and write the same audit trail; the changing
commands are in `practices.cli.review_edit`, `export`/`newsletter`/`purge` in
`practices.cli.publishing`. Finnish by default, `--lang sv` Swedish, `--lang en` English;
`--json` prints the stable shapes documented in `review.rendering`. Statuses, flags, themes and
fields are accepted by key or by name in any of the three languages. The editor's name comes
from `--editor`, $PRACTICES_EDITOR or the login name.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from practices.cli import EXIT_OK
from practices.cli.context import (
    Handler,
    add_lang_option,
    app_from,
    command,
    guarded,
    lang_of,
    print_json,
    say,
)
from practices.cli.review_edit import (
    approve,
    dismiss,
    edit,
    photo,
    photo_text,
    reject,
    reopen,
    theme,
)
from review import operations
from review.answers import answer_facts, answer_text
from review.rendering import draft_json, draft_summary_json, draft_table, event_json
from review.views import history_text, show_text

if TYPE_CHECKING:
    from practices.cli.context import SubParsers


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
            say(draft_table(drafts, lang_of(args)))
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.readers() as session:
        draft = operations.get_draft(session, args.id)
        answers = answer_facts(session, draft)
        if args.json:
            print_json({**draft_json(draft, lang_of(args)), "acknowledgement": answers})
        else:
            say(show_text(draft, app.settings.data_dir, lang_of(args)))
            say("")
            say(answer_text(answers, lang_of(args)))
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.readers() as session:
        events = list(operations.history(session, args.id))
        if args.json:
            print_json([event_json(e) for e in events])
        else:
            say(history_text(events, lang_of(args)))
    return EXIT_OK


def common_options() -> argparse.ArgumentParser:
    """--lang, --json and --editor, shared by every editors' command."""
    common = argparse.ArgumentParser(add_help=False)
    add_lang_option(common)
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


def _register_review(subparsers: SubParsers) -> None:
    common = common_options()
    changing = _changing(common)
    group = subparsers.add_parser("review", help="list, show, edit, approve and reject drafts")
    commands = group.add_subparsers(dest="review_command", metavar="ACTION", required=True)

    def add(name: str, handler: Handler, help_text: str, *, change: bool) -> Any:
        parents = [changing if change else common]
        return command(commands, name, guarded(handler), help_text, parents=parents)

    listing = add("list", _list, "drafts as a table", change=False)
    listing.add_argument("--status", help="luonnos | hyväksytty | hylätty (or draft, ...)")
    listing.add_argument("--flag", help="drafts with this flag open: name or code ('ei kuvaa')")
    listing.add_argument("--theme", help="theme name or key ('avoin data'); 'none' for no theme")
    listing.add_argument("--organisation", help="part of the organisation's name")
    listing.add_argument("--month", help="received in this month, YYYY-MM")
    add("show", _show, "one draft in full", change=False).add_argument("id", type=int)
    add("history", _history, "a draft's audit trail", change=False).add_argument("id", type=int)
    editing = add("edit", edit, "edit fields in $EDITOR or with --set", change=True)
    editing.add_argument("id", type=int)
    editing.add_argument(
        "--set", action="append", metavar="FIELD=VALUE", help="field by name or key; repeatable"
    )
    editing.add_argument("--yes", action="store_true", help="save without asking")
    theming = add("theme", theme, "set the theme", change=True)
    theming.add_argument("id", type=int)
    theming.add_argument("key", help="theme name or key, e.g. 'avoin data' or open_data")
    choosing = add("photo", photo, "choose the main photo (number as `show` lists)", change=True)
    choosing.add_argument("id", type=int)
    choosing.add_argument("n", type=int)
    texts = add("photo-text", photo_text, "set a photo's alt text and credit", change=True)
    texts.add_argument("id", type=int)
    texts.add_argument("n", type=int, help="the photo's number as `show` lists it")
    texts.add_argument("--alt", help="alt text: what the photo shows, for screen readers")
    texts.add_argument("--credit", help="who took the photo")
    dismissing = add("dismiss", dismiss, "dismiss a flag with a reason", change=True)
    dismissing.add_argument("id", type=int)
    dismissing.add_argument("flag", help="the flag's name or code ('ei kuvaa', no_photo) or id")
    dismissing.add_argument("--reason", required=True, help="why the flag needs no action")
    approving = add("approve", approve, "approve a draft", change=True)
    approving.add_argument("id", type=int)
    approving.add_argument(
        "--force",
        action="store_true",
        help="override open blocking flags; needs --note, which becomes their dismissal reason",
    )
    rejecting = add("reject", reject, "reject a draft with a reason", change=True)
    rejecting.add_argument("id", type=int)
    rejecting.add_argument("--reason", required=True)
    add("reopen", reopen, "return a draft to review", change=True).add_argument("id", type=int)


def register(subparsers: SubParsers) -> None:
    """Add `review` and the top-level `export`, `newsletter` and `purge` commands."""
    from practices.cli import publishing

    _register_review(subparsers)
    publishing.register(subparsers, common_options())
