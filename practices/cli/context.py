"""What every command module shares: settings and the app from parsed arguments, the editor's
name and language, and printing that never lets submitted text steer the terminal.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from core.catalogue import language
from core.config import Settings, load_settings
from core.display import json_visible, visible
from core.vocabulary import LANGUAGES
from practices.cli import EXIT_FAILED
from practices.logs import configure_logging
from review.errors import ReviewError
from store.app import App, open_app

if TYPE_CHECKING:
    # Where a command module adds its commands (its `register(subparsers)`).
    SubParsers = argparse._SubParsersAction[argparse.ArgumentParser]

EDITOR_ENV = "PRACTICES_EDITOR"
# What a command runs: the parsed arguments in, the exit code out.
Handler = Callable[[argparse.Namespace], int]


def settings_from(args: argparse.Namespace) -> Settings:
    """Load the configuration named by --config or $PRACTICES_CONFIG and set up logging."""
    settings = load_settings(args.config)
    configure_logging(settings.log_level, settings.log_format)
    return settings


@contextmanager
def app_from(args: argparse.Namespace, *, check_schema: bool = True) -> Iterator[App]:
    """Open the app for the duration of one command."""
    app = open_app(settings_from(args), check_schema=check_schema)
    try:
        yield app
    finally:
        app.close()


def editor_name(args: argparse.Namespace) -> str:
    """Who is acting, for the audit trail: --editor, then $PRACTICES_EDITOR, then the login name."""
    chosen = getattr(args, "editor", None) or os.environ.get(EDITOR_ENV)
    if chosen:
        return str(chosen)
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "tuntematon"


def command(
    subparsers: SubParsers, name: str, handler: Handler, help_text: str, **options: Any
) -> argparse.ArgumentParser:
    """Add the command `name`, run by `handler`; `options` go to `add_parser` (`parents=`)."""
    parser = subparsers.add_parser(name, help=help_text, **options)
    parser.set_defaults(handler=handler)
    return parser


def add_lang_option(parser: argparse.ArgumentParser) -> None:
    """`--lang fi|sv|en`: the language of what the command prints (Finnish by default)."""
    parser.add_argument("--lang", choices=LANGUAGES, default="fi", help="fi (default), sv or en")


def lang_of(args: argparse.Namespace) -> str:
    """The language the command prints in."""
    return language(getattr(args, "lang", None))


def say(text: str, *, err: bool = False) -> None:
    """Print text that may quote a submission: controls and bidi overrides shown, not obeyed."""
    print(visible(text), file=sys.stderr if err else sys.stdout)


def print_json(value: Any) -> None:
    """Print `value` as stable, readable JSON (UTF-8, sorted keys) for scripts."""
    document = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    sys.stdout.write(json_visible(document) + "\n")


def guarded(handler: Handler, *, lang: str | None = None) -> Handler:
    """`handler`, with a refused review operation printed (in `lang`, else the command's
    `--lang`) and exit 1 instead of a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ReviewError as exc:
            say(f"practices: {exc.text(lang or lang_of(args))}", err=True)
            return EXIT_FAILED

    return run
