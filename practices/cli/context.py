"""Helpers every command module uses to load settings and open the app from parsed arguments."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.config import Settings, load_settings
from practices.cli import configure_logging
from store.app import App, open_app


def settings_from(args: argparse.Namespace) -> Settings:
    """Load the configuration named by --config or $PRACTICES_CONFIG and set up logging."""
    settings = load_settings(args.config)
    configure_logging(settings.log_level)
    return settings


@contextmanager
def app_from(args: argparse.Namespace, *, check_schema: bool = True) -> Iterator[App]:
    """Open the app for the duration of one command."""
    app = open_app(settings_from(args), check_schema=check_schema)
    try:
        yield app
    finally:
        app.close()


def print_json(value: Any) -> None:
    """Print `value` as stable, readable JSON (UTF-8, sorted keys) for scripts."""
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2, sort_keys=True, default=str)
    sys.stdout.write("\n")
