"""Fixtures for photo tests: a throwaway blob store and default photo settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import PhotoSettings
from store.files import BlobStore


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "data", fsync=False)


@pytest.fixture
def settings() -> PhotoSettings:
    return PhotoSettings()
