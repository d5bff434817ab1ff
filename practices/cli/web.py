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

from practices.cli import EXIT_FAILED, EXIT_OK
from practices.cli.context import app_from, print_json, say
from review import accounts
from review.dates import format_time
from review.errors import ReviewError


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


def _guarded(args: argparse.Namespace, action: str) -> int:
    try:
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
    except ReviewError as exc:
        say(f"practices: {exc.text('en')}", err=True)
        return EXIT_FAILED
    return EXIT_OK


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


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `web` and `editors`."""
    web = subparsers.add_parser("web", help="serve the editors' console ([web] in the TOML)")
    web.add_argument("--bind", help="HOST:PORT to listen on (default: [web] bind)")
    web.set_defaults(handler=_web)

    group = subparsers.add_parser("editors", help="accounts of the editors' console")
    commands = group.add_subparsers(dest="editors_command", metavar="ACTION", required=True)
    adding = commands.add_parser("add", help="add an account (asks for its password)")
    adding.add_argument("name")
    adding.add_argument("--email", default="")
    adding.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    adding.set_defaults(handler=lambda args: _guarded(args, "add"))
    listing = commands.add_parser("list", help="every account")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    disabling = commands.add_parser("disable", help="disable an account and end its logins")
    disabling.add_argument("name")
    disabling.set_defaults(handler=lambda args: _guarded(args, "disable"))
    password = commands.add_parser("set-password", help="set a new password, ending logins")
    password.add_argument("name")
    password.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    password.set_defaults(handler=lambda args: _guarded(args, "set-password"))
