"""Imported by the worker pool's fork server: loads understanding's data before workers fork."""

from __future__ import annotations

from ingest.understand.preload import warm_up

warm_up()
