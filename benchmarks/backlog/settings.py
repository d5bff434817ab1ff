"""What every part of the backlog benchmark agrees on: where the repository is, who logs in."""

from __future__ import annotations

from pathlib import Path

# benchmarks/backlog/settings.py -> the repository root: the working directory of every
# `practices` child, and what the profile summary counts as our code.
REPO = Path(__file__).resolve().parents[2]

PHOTO_USER = "photos"
TEXT_USER = "texts"
PASSWORD = "bench-password"  # noqa: S105 - the throwaway Dovecot's users
# The polls read the password from here; the script sets it before the first poll.
PASSWORD_ENV = "PRACTICES_BENCH_PASSWORD"  # noqa: S105 - a variable name, not a secret
