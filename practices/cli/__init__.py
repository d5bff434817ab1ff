"""The `practices` command: parses arguments, loads the configuration once, maps errors to exits.

Each command group lives in its own module with a `register(subparsers)` function that adds its
sub-commands and sets `handler` (a callable taking the parsed args and returning an exit code).
Only this module decides exit codes: 0 success, 1 a command failed, 2 bad configuration or usage,
3 the schema is out of date.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import OperationalError

from core.access import permission_problem
from core.display import visible
from core.errors import ConfigError, PracticesError, SchemaOutOfDate

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CONFIG = 2
EXIT_SCHEMA = 3


def _command_modules() -> list[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]
]:
    from practices.cli import messages, ops, outbox, review, web

    return [ops.register, messages.register, review.register, outbox.register, web.register]


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser; exposed for tests and `--help`."""
    parser = argparse.ArgumentParser(
        prog="practices",
        description="Turns emailed good-practice submissions into reviewed practice records.",
    )
    parser.add_argument("--config", help="TOML configuration file (default: $PRACTICES_CONFIG)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in _command_modules():
        register(subparsers)
    return parser


def _error(text: str) -> None:
    """One error line on stderr; it may quote a subject or a file name, so shown, not obeyed."""
    print(f"practices: {visible(text)}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `practices` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        code = handler(args)
        # Flush here, where a reader that went away (`| head`) is caught below, rather than
        # at the interpreter's exit, where it would print a traceback.
        sys.stdout.flush()
        return code
    except ConfigError as exc:
        _error(f"configuration error: {exc}")
        return EXIT_CONFIG
    except SchemaOutOfDate as exc:
        _error(str(exc))
        return EXIT_SCHEMA
    except PracticesError as exc:
        _error(str(exc))
        return EXIT_FAILED
    except OperationalError as exc:
        # Locked, down or unreachable: say so in one line; the SQL is of no use to an operator.
        print(f"practices: database unavailable: {exc.orig}", file=sys.stderr)
        return EXIT_FAILED
    except PermissionError as exc:
        # A path this user may not use, met where no check named it first: one line still.
        _error(permission_problem(exc))
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `practices ... | head` stopped reading: not an error. Point stdout at /dev/null so
        # that the interpreter's last flush does not fail again on the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
