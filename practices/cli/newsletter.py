"""`practices newsletter new|add|remove|order|intro|show|render`: the month's edition.

Editors create the month's edition, add approved practices by number, put them in order,
write an intro, look at it with `show` (which marks practices that an earlier edition already
had) and `render` it into a ready-to-send .eml with its HTML and text beside it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.catalogue import LANGUAGE_NAMES, TABLES, theme_name, word
from practices.cli import EXIT_OK
from practices.cli.context import (
    Handler,
    app_from,
    command,
    editor_name,
    guarded,
    lang_of,
    print_json,
    say,
)
from review import editions
from review.editions import EditionEntry
from review.newsletter_mail import compose, write_newsletter
from store.models import NewsletterEdition, utcnow

if TYPE_CHECKING:
    from practices.cli.context import SubParsers

WORDS = TABLES["editions"]


def _say_words(args: argparse.Namespace, key: str, **params: Any) -> str:
    return word(WORDS, key, lang_of(args), **params)


def _entry_line(position: int, entry: EditionEntry, lang: str) -> str:
    draft = entry.draft
    facts = [theme_name(draft.theme, lang) or "–"]
    if draft.language and draft.language != "fi":
        facts.append(word(LANGUAGE_NAMES, draft.language, lang))
    line = f"{position:>3}. #{draft.id:<5} {draft.title}"
    if draft.organisation:
        line += f" ({draft.organisation})"
    line += " – " + ", ".join(facts)
    marks = []
    if entry.earlier:
        marks.append(word(WORDS, "in_earlier", lang, months=", ".join(entry.earlier)))
    if not entry.approved:
        marks.append(word(WORDS, "left_out", lang))
    return line + "".join(f"  [{mark}]" for mark in marks)


def _entry_json(position: int, entry: EditionEntry) -> dict[str, Any]:
    draft = entry.draft
    return {
        "position": position,
        "id": draft.id,
        "title": draft.title,
        "organisation": draft.organisation,
        "theme": draft.theme,
        "language": draft.language,
        "approved": entry.approved,
        "earlier_editions": list(entry.earlier),
    }


def _edition_json(edition: NewsletterEdition, listed: list[EditionEntry]) -> dict[str, Any]:
    return {
        "month": edition.month,
        "intro": edition.intro,
        "created_by": edition.created_by,
        "updated_by": edition.updated_by,
        "updated_at": edition.updated_at.isoformat() if edition.updated_at else None,
        "rendered_at": edition.rendered_at.isoformat() if edition.rendered_at else None,
        "items": [_entry_json(n, entry) for n, entry in enumerate(listed, start=1)],
    }


def _show_edition(
    args: argparse.Namespace, edition: NewsletterEdition, listed: list[EditionEntry]
) -> None:
    lang = lang_of(args)
    if args.json:
        print_json(_edition_json(edition, listed))
        return
    lines = [word(WORDS, "heading", lang, month=edition.month), ""]
    lines.append(f"{word(WORDS, 'intro', lang)}:")
    intro = edition.intro.splitlines() or [word(WORDS, "no_intro", lang)]
    lines += [f"  {line}".rstrip() for line in intro]
    lines += ["", f"{word(WORDS, 'items', lang)}:"]
    if not listed:
        lines.append("  " + word(WORDS, "no_items", lang, month=edition.month))
    lines += [_entry_line(n, entry, lang) for n, entry in enumerate(listed, start=1)]
    say("\n".join(lines))


def _new(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.sessions.begin() as session:
        edition = editions.new_edition(session, args.month, editor_name(args), args.intro or "")
        if args.json:
            print_json(_edition_json(edition, []))
        else:
            say(_say_words(args, "created", month=edition.month))
    return EXIT_OK


def _changed(args: argparse.Namespace, headline: str, month: str) -> None:
    """After a change: the edition as it is now."""
    with app_from(args) as app, app.readers() as session:
        edition = editions.get_edition(session, month)
        listed = editions.entries(session, edition)
    if not args.json:
        say(headline)
        say("")
    _show_edition(args, edition, listed)


def _changed_items(args: argparse.Namespace, key: str, ids: list[int]) -> None:
    listed = ", ".join(f"#{n}" for n in ids)
    month = editions.month_key(args.month)
    _changed(args, f"{_say_words(args, key, month=month)}: {listed}", args.month)


def _add(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.sessions.begin() as session:
        added = editions.add_practices(session, args.month, args.ids, editor_name(args))
    _changed_items(args, "added", [entry.draft.id for entry in added])
    return EXIT_OK


def _remove(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.sessions.begin() as session:
        editions.remove_practices(session, args.month, args.ids, editor_name(args))
    _changed_items(args, "removed", args.ids)
    return EXIT_OK


def _order(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.sessions.begin() as session:
        editions.order_practices(session, args.month, args.ids, editor_name(args))
    _changed(args, _say_words(args, "ordered"), args.month)
    return EXIT_OK


def _intro(args: argparse.Namespace) -> int:
    if args.file == "-":
        text = sys.stdin.read()
    elif args.file:
        text = Path(args.file).read_text(encoding="utf-8")
    else:
        text = args.text or ""
    with app_from(args) as app, app.sessions.begin() as session:
        editions.set_intro(session, args.month, text, editor_name(args))
    _changed(args, _say_words(args, "intro_saved"), args.month)
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.readers() as session:
        edition = editions.get_edition(session, args.month)
        _show_edition(args, edition, editions.entries(session, edition))
    return EXIT_OK


def _render(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with app_from(args) as app, app.sessions.begin() as session:
        newsletter, message = compose(session, app.blobs, app.settings, args.month, utcnow())
        paths = write_newsletter(newsletter, message, Path(args.out))
        editions.get_edition(session, newsletter.month).rendered_at = utcnow()
    if args.json:
        print_json(
            {
                "month": newsletter.month,
                "subject": newsletter.subject,
                "files": [str(path) for path in paths],
                "embedded_images": len(newsletter.images),
                "left_out": newsletter.left_out,
                "missing_alt": newsletter.missing_alt,
            }
        )
        return EXIT_OK
    say(f"{word(WORDS, 'rendered', lang, month=newsletter.month)}:")
    for path in paths:
        say(f"  {path}")
    for draft_id in newsletter.left_out:
        say(f"#{draft_id}: {word(WORDS, 'left_out', lang)}", err=True)
    for draft_id in newsletter.missing_alt:
        say(f"#{draft_id}: {word(WORDS, 'no_photo_alt', lang)}", err=True)
    return EXIT_OK


def register(subparsers: SubParsers, common: argparse.ArgumentParser) -> None:
    """Add `newsletter` and its actions, with the editors' common options."""
    group = subparsers.add_parser(
        "newsletter", help="compose and render the month's newsletter edition"
    )
    actions = group.add_subparsers(dest="newsletter_action", metavar="ACTION", required=True)

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        parser = command(actions, name, guarded(handler), help_text, parents=[common])
        parser.add_argument("month", help="the edition's month, YYYY-MM")
        return parser

    add("new", _new, "create the month's edition").add_argument("--intro", help="its intro text")
    add("add", _add, "add approved practices at the end").add_argument("ids", type=int, nargs="+")
    add("remove", _remove, "take practices out").add_argument("ids", type=int, nargs="+")
    add("order", _order, "put these practices first, in this order").add_argument(
        "ids", type=int, nargs="+"
    )
    intro = add("intro", _intro, "set the intro (paragraphs separated by blank lines)")
    intro.add_argument("text", nargs="?", help="the intro; or --file")
    intro.add_argument("--file", help="read the intro from this file ('-': standard input)")
    add("show", _show, "the edition: intro, practices in order, what to check")
    render = add("render", _render, "write the .eml, .html and .txt")
    render.add_argument("--out", required=True, help="output directory")
