"""Loads what understanding reads on every message once per process: the organisation register,
its name index, the theme keywords and the Voikko handle.

Without this the first message of every worker would pay for it (a few tenths of a second). The
worker pool's fork server imports `ingest.understand.warm`, which calls `warm_up()`, so workers
forked from it start with these already in memory and share the pages; each worker then calls
`warm_up(settings.organisations)` for the index with the configured names.
"""

from __future__ import annotations

from collections.abc import Mapping

from core.lemmas import voikko_available
from ingest.understand.organisations import index_for
from ingest.understand.theme import suggest_theme


def warm_up(configured: Mapping[str, str] | None = None) -> None:
    """Load the register, build its index (with `configured` names) and the keyword table."""
    voikko_available()
    normalised = {d.lower().strip("."): name for d, name in (configured or {}).items()}
    index_for(tuple(sorted(normalised.items())))
    suggest_theme("avoin data")
