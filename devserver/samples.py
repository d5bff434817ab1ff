"""Builds realistic raw submissions in code (placeholder until the full set lands)."""

from __future__ import annotations


def sample_submissions() -> list[bytes]:
    return []


def photo_jpeg(width: int, height: int, orientation: int = 1, gps: bool = False) -> bytes:
    raise NotImplementedError
