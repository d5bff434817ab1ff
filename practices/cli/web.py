"""`practices web` (the editors' console) and `practices editors ...` (its accounts).

    practices web [--bind HOST:PORT]
    practices editors add NAME [--email E] [--password-stdin]
    practices editors list [--json]
    practices editors disable NAME
    practices editors set-password NAME [--password-stdin]

A password is read from the terminal twice (not echoed) or, with --password-stdin, as the first
line of standard input (for scripts); it never appears in arguments, the environment or logs.
Disabling an account or setting a new password ends its logins at once.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from practices.cli import EXIT_OK
from practices.cli.context import Handler, app_from, command, guarded, print_json, say
from review import accounts
from review.dates import format_time

if TYPE_CHECKING:
    from practices.cli.context import SubParsers


def _web(args: argparse.Namespace) -> int:
    from practices.web.server import serve

    with app_from(args) as app:
        serve(app, args.bind)
    return EXIT_OK


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Salasana / Password: ")
    second = getpass.getpass("Uudelleen / Again: ")
    if first != second:
        raise accounts.AccountError(
            "Salasanat eivät täsmää; mitään ei muutettu.",
            "The passwords differ; nothing was changed.",
        )
    return first


def _account(action: str) -> Handler:
    """The handler of `editors ACTION`: one change of an account, a refusal said in English."""

    def run(args: argparse.Namespace) -> int:
        with app_from(args) as app, app.sessions.begin() as session:
            if action == "add":
                account = accounts.add_account(session, args.name, _password(args), args.email)
                say(f"added {account.name}")
            elif action == "disable":
                account = accounts.disable_account(session, args.name)
                say(f"disabled {account.name}; its logins ended")
            else:
                account = accounts.set_password(session, args.name, _password(args))
                say(f"new password for {account.name}; its earlier logins ended")
        return EXIT_OK

    return guarded(run, lang="en")


def _list(args: argparse.Namespace) -> int:
    with app_from(args) as app, app.readers() as session:
        found = accounts.list_accounts(session)
        if args.json:
            print_json(
                [
                    {
                        "name": a.name,
                        "email": a.email,
                        "disabled": a.disabled_at is not None,
                        "created_at": a.created_at.isoformat(),
                        "last_login_at": a.last_login_at.isoformat() if a.last_login_at else None,
                    }
                    for a in found
                ]
            )
            return EXIT_OK
        if not found:
            say("no accounts; add one with: practices editors add NAME")
        for a in found:
            state = "disabled" if a.disabled_at else "enabled"
            last = format_time(a.last_login_at, "en") or "never"
            say(f"{a.name:<24} {state:<9} last login {last:<17} {a.email}")
    return EXIT_OK


def register(subparsers: SubParsers) -> None:
    """Add `web` and `editors`."""
    command(subparsers, "web", _web, "serve the editors' console ([web] in the TOML)").add_argument(
        "--bind", help="HOST:PORT to listen on (default: [web] bind)"
    )

    group = subparsers.add_parser("editors", help="accounts of the editors' console")
    commands = group.add_subparsers(dest="editors_command", metavar="ACTION", required=True)
    adding = command(commands, "add", _account("add"), "add an account (asks for its password)")
    adding.add_argument("name")
    adding.add_argument("--email", default="")
    adding.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    command(commands, "list", _list, "every account").add_argument("--json", action="store_true")
    command(
        commands, "disable", _account("disable"), "disable an account and end its logins"
    ).add_argument("name")
    password = command(
        commands, "set-password", _account("set-password"), "set a new password, ending logins"
    )
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true", help="read it from stdin")
