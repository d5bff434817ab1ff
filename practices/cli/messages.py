"""`practices messages`: every inbound message and what became of it, for editors and scripts.

The table is in the editor's language (`--lang`), the subjects made visible, not obeyed;
`--json` prints the stable shape of `review.inbox.message_json`. `--outcome` takes a key or a
name in any language ("ohitettu", "ignored").
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from core.catalogue import OUTCOMES
from practices.cli import EXIT_CONFIG, EXIT_OK
from practices.cli.context import add_lang_option, app_from, command, lang_of, print_json, say
from review.errors import ReviewError
from review.inbox import message_json, messages_table
from review.queries import require_name
from store import reports

if TYPE_CHECKING:
    from practices.cli.context import SubParsers


def messages(args: argparse.Namespace) -> int:
    """List inbound messages, oldest first, optionally of one outcome."""
    lang = lang_of(args)
    try:
        outcome = require_name(OUTCOMES, args.outcome, "outcome") if args.outcome else None
    except ReviewError as exc:
        say(f"practices: {exc.text(lang)}", err=True)
        return EXIT_CONFIG
    with app_from(args) as app, app.readers() as session:
        rows = reports.inbound_messages(session, outcome=outcome)
        if args.json:
            print_json([message_json(row) for row in rows])
        else:
            say(messages_table(rows, lang))
    return EXIT_OK


def register(subparsers: SubParsers) -> None:
    """Add `messages`."""
    parser = command(subparsers, "messages", messages, "every inbound message and its outcome")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--outcome", help="luonnos | ohitettu | epäonnistui (or draft, ...)")
    add_lang_option(parser)
