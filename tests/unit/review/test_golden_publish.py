"""Golden files: the site, the Markdown and JSON exports and the newsletter of the fixed set
(tests/publishing_set/) are exactly the checked-in record under tests/golden/publish/expected/.

Every byte of every file made is checked. Most files are kept in full, so a change shows as a
diff to review. The site's pages repeat three templates and the same header and footer with
other data: the front page and one practice page are kept in full, and the others, with the
photos, by their SHA-256 in `digests.txt` (the format of `sha256sum -c`). The theme pages are
the front page's cards under a heading, and test_site_export checks what each one says (title,
count, cards, the current theme). The stylesheet is copied unchanged, so it is compared with its
template.

To accept a change on purpose, refresh the record and review the diff in git
(tests/golden/README.md):

    scripts/refresh-golden          # = PRACTICES_REFRESH_GOLDEN=1 pytest this file
"""

from __future__ import annotations

import difflib
import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from review.output import MANIFEST
from tests.publishing_set import Published, publish_set

ROOT = Path(__file__).resolve().parents[3]
EXPECTED = ROOT / "tests" / "golden" / "publish" / "expected"
STYLESHEET = "site/style.css"
STYLESHEET_TEMPLATE = ROOT / "review" / "templates" / "site" / "style.css"
DIGESTS = "digests.txt"
REFRESH = os.environ.get("PRACTICES_REFRESH_GOLDEN") == "1"
# The front page and a practice page: between them the site's header, footer, cards and the
# practice template, each shown once.
PAGES_IN_FULL = frozenset({"site/index.html", "site/1-asukasillat-verkossa-ja-kylataloilla.html"})


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_set(tmp_path_factory.mktemp("golden"))


def files_made(published: Published) -> dict[str, Path]:
    """Every file made, by its name under the golden folder. Left out: the .eml (checked part
    by part elsewhere) and the export's own list of files, whose fingerprints change with the
    code."""
    folders = (published.site, published.markdown, published.json, published.newsletter[0].parent)
    return {
        f"{folder.name}/{path.relative_to(folder).as_posix()}": path
        for folder in folders
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix != ".eml" and path.name != MANIFEST
    }


def kept_in_full(name: str) -> bool:
    """Text worth reading in a diff: all but the photos, the site's repeated pages and the
    stylesheet (compared with its template)."""
    if name == STYLESHEET or name.endswith(".jpg"):
        return False
    return name in PAGES_IN_FULL or not (name.startswith("site/") and name.endswith(".html"))


def record(made: dict[str, Path]) -> dict[str, bytes]:
    """What the golden folder holds for these files: the ones kept in full, and `digests.txt`
    naming every other file (but the stylesheet) with its SHA-256."""
    files = {name: path.read_bytes() for name, path in made.items() if kept_in_full(name)}
    digests = [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {name}\n"
        for name, path in made.items()
        if not kept_in_full(name) and name != STYLESHEET
    ]
    files[DIGESTS] = "".join(digests).encode()
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
    made = record(files_made(published))
    if REFRESH:
        refresh(made)
        pytest.skip(f"golden files refreshed in {EXPECTED}; review them with git diff")
    expected = dict(expected_files())
    assert sorted(made) == sorted(expected), "files made differ from the golden list"
    for name, data in expected.items():
        assert made[name] == data, (
            f"{name} differs from its golden file (scripts/refresh-golden accepts it on "
            f"purpose; the files made are in {published.root}):\n"
            f"{first_difference(name, data, made[name])}"
        )


def test_the_stylesheet_is_its_template_unchanged(published: Published) -> None:
    made = files_made(published)
    assert STYLESHEET in made
    assert made[STYLESHEET].read_bytes() == STYLESHEET_TEMPLATE.read_bytes()


def test_the_golden_set_covers_every_language_with_and_without_photos(
    published: Published,
) -> None:
    pages = {path.name: path.read_text(encoding="utf-8") for path in published.site.glob("*.html")}
    practice_pages = {name: text for name, text in pages.items() if name[0].isdigit()}
    languages = {text.split('lang="', 1)[1][:2] for text in practice_pages.values()}
    assert languages == {"fi", "sv", "en"}
    with_photo = [text for text in practice_pages.values() if "<figure" in text]
    assert 0 < len(with_photo) < len(practice_pages)
