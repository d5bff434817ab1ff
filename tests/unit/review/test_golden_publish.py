"""Golden files: the site, the Markdown and JSON exports and the newsletter of the fixed set
(tests/publishing_set.py) are exactly the checked-in files under tests/golden/publish/expected/.

A change to a template, a word or an export shows here as a diff to review. To accept a change
on purpose, refresh the files and review the diff in git (tests/golden/README.md):

    scripts/refresh-golden          # = PRACTICES_REFRESH_GOLDEN=1 pytest this file
"""

from __future__ import annotations

import difflib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from review.output import MANIFEST
from tests.publishing_set import Published, publish_set

EXPECTED = Path(__file__).resolve().parents[2] / "golden" / "publish" / "expected"
REFRESH = os.environ.get("PRACTICES_REFRESH_GOLDEN") == "1"
PHOTO_LIST = "photos.txt"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_set(tmp_path_factory.mktemp("golden"))


def snapshot(published: Published) -> dict[str, bytes]:
    """Every text file made, by its name under the golden folder; photos by name and size
    (their bytes are the checked-in photos'). Left out: the .eml (checked part by part
    elsewhere) and the export's own list of files, whose fingerprints change with the code."""
    files: dict[str, bytes] = {}
    photos: list[str] = []
    folders = (published.site, published.markdown, published.json, published.newsletter[0].parent)
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            relative = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            if not path.is_file() or path.suffix == ".eml" or path.name == MANIFEST:
                continue
            if path.suffix == ".jpg":
                photos.append(f"{relative} {path.stat().st_size}")
            else:
                files[relative] = path.read_bytes()
    files[PHOTO_LIST] = ("\n".join(photos) + "\n").encode()
    return files


def expected_files() -> Iterator[tuple[str, bytes]]:
    for path in sorted(EXPECTED.rglob("*")):
        if path.is_file():
            yield path.relative_to(EXPECTED).as_posix(), path.read_bytes()


def refresh(made: dict[str, bytes]) -> None:
    shutil.rmtree(EXPECTED, ignore_errors=True)
    for relative, data in made.items():
        target = EXPECTED / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def first_difference(name: str, expected: bytes, made: bytes) -> str:
    lines = difflib.unified_diff(
        expected.decode("utf-8", "replace").splitlines(),
        made.decode("utf-8", "replace").splitlines(),
        f"expected/{name}",
        f"made/{name}",
        lineterm="",
        n=2,
    )
    return "\n".join(list(lines)[:40])


def test_the_published_files_are_the_golden_ones(published: Published) -> None:
    made = snapshot(published)
    if REFRESH:
        refresh(made)
        pytest.skip(f"golden files refreshed in {EXPECTED}; review them with git diff")
    expected = dict(expected_files())
    assert sorted(made) == sorted(expected), "files made differ from the golden list"
    for name, data in expected.items():
        assert made[name] == data, (
            f"{name} differs from its golden file (scripts/refresh-golden accepts it on "
            f"purpose):\n{first_difference(name, data, made[name])}"
        )


def test_the_golden_set_covers_every_language_with_and_without_photos(
    published: Published,
) -> None:
    pages = {path.name: path.read_text(encoding="utf-8") for path in published.site.glob("*.html")}
    practice_pages = {name: text for name, text in pages.items() if name[0].isdigit()}
    languages = {text.split('lang="', 1)[1][:2] for text in practice_pages.values()}
    assert languages == {"fi", "sv", "en"}
    with_photo = [text for text in practice_pages.values() if "<figure" in text]
    assert 0 < len(with_photo) < len(practice_pages)
