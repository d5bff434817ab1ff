"""The rendered edition: Finnish theme headings in the editors' order, each practice in its own
language, CSS inlined into a table layout, links from base_url, no placeholder anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from core.config.mailout import PublishingSettings
from core.errors import ConfigError
from review import editions, operations
from review.newsletter import Newsletter, build_newsletter, display_size
from review.practice_view import Derivative, PhotoView
from store.files import BlobStore
from tests.publishing_set import BASE_URL, Published, publish_set
from tests.unit.review.conftest import Builder


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_set(tmp_path_factory.mktemp("newsletter"))


@pytest.fixture(scope="module")
def may(published: Published) -> Newsletter:
    with published.sessions.begin() as session:
        return build_newsletter(
            session, published.blobs, "2025-05", PublishingSettings(base_url=BASE_URL)
        )


def test_theme_headings_are_finnish_and_follow_the_editors_order(may: Newsletter) -> None:
    headings = re.findall(r"<h2 [^>]*>([^<]+)</h2>", may.html)
    assert headings == [
        "Avoin toiminta",
        "Avoin data",
        "Osallisuus",
        "Hallinto mahdollistajana",
        "Ymmärrettävyys",
    ]
    titles = re.findall(r"<h3 [^>]*><a [^>]*>([^<]+)</a></h3>", may.html)
    assert titles[0].startswith("Lakiluonnokset") and titles[1].startswith("Öppna data")


def test_a_swedish_practice_keeps_its_swedish_text_under_the_finnish_theme(
    may: Newsletter,
) -> None:
    avoin_data = may.html.index(">Avoin data</h2>")
    swedish = may.html.index("Öppna data om kollektivtrafiken")
    assert avoin_data < swedish < may.html.index(">Osallisuus</h2>")
    item = may.html[may.html.rindex('<td class="item"', 0, swedish) : swedish]
    assert 'lang="sv"' in item
    assert "Läs mer ›" in may.html and "Read more ›" in may.html
    assert "Läs mer: https://" in may.text and "Öppen förvaltning" not in may.html


def test_the_css_is_inlined_into_a_table_layout(may: Newsletter) -> None:
    assert may.html.count("<style") == 1  # only the media query block is kept
    assert "@media only screen and (max-width: 620px)" in may.html
    assert 'role="presentation"' in may.html and "<!--[if mso]>" in may.html
    assert re.search(r'<td class="masthead" style="[^"]*background: #003479', may.html)
    assert re.search(r'<h3 class="item-title" style="[^"]*font-size: 21px', may.html)


def test_links_and_photos_are_absolute_from_base_url(may: Newsletter) -> None:
    for url in re.findall(r'(?:href|src)="([^"]+)"', may.html):
        assert url.startswith(BASE_URL + "/"), url
    assert f"{BASE_URL}/5-lakiluonnokset-avoimesti-kommentoitaviksi-jo-valmistelun.html" in may.text


def test_photos_have_alt_text_and_sizes_that_fit_the_column(may: Newsletter) -> None:
    images = re.findall(r"<img [^>]*>", may.html)
    assert len(images) == 4
    for image in images:
        width = int(re.search(r'width="(\d+)"', image).group(1))  # type: ignore[union-attr]
        height = int(re.search(r'height="(\d+)"', image).group(1))  # type: ignore[union-attr]
        assert (width <= 536 and height <= 400) or width <= 536
        assert re.search(r'alt="[^"]+"', image)
    assert 'width="270" height="360"' in may.html  # the portrait photo, not 1600 px high


def test_display_size_narrows_a_portrait_and_fits_a_landscape() -> None:
    def photo(width: int, height: int) -> PhotoView:
        return PhotoView(1, Derivative("b", "kuvat/1-x.jpg", width, height), None, "a", True, "")

    assert display_size(photo(1200, 1600)) == (270, 360, False)
    assert display_size(photo(1600, 1067)) == (536, 357, True)
    assert display_size(photo(300, 200)) == (300, 200, True)


def test_the_plain_text_carries_the_same_practices(may: Newsletter) -> None:
    for title in ("Lakiluonnokset", "Öppna data", "Asukasillat", "Open budget", "Selkokieliset"):
        assert title in may.text
    assert may.text.index("AVOIN TOIMINTA") < may.text.index("AVOIN DATA")
    assert all(len(line) <= 72 or "://" in line for line in may.text.splitlines())


def test_without_base_url_rendering_stops_with_an_error_naming_the_key(
    published: Published,
) -> None:
    with published.sessions.begin() as session, pytest.raises(ConfigError) as caught:
        build_newsletter(session, published.blobs, "2025-05", PublishingSettings())
    assert caught.value.key == "publishing.base_url"


def test_a_withdrawn_practice_is_left_out_and_reported(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    kept, gone = build(title="Pysyy", subject="a"), build(title="Peruttu", subject="b")
    with sessions.begin() as session:
        for draft_id in (kept, gone):
            operations.approve(session, draft_id, "eeva")
        editions.new_edition(session, "2025-05", "eeva")
        editions.add_practices(session, "2025-05", [kept, gone], "eeva")
        operations.reopen(session, gone, "eeva")
    with sessions.begin() as session:
        newsletter = build_newsletter(
            session, blobs, "2025-05", PublishingSettings(base_url=BASE_URL)
        )
    assert newsletter.left_out == [gone]
    assert "Pysyy" in newsletter.html and "Peruttu" not in newsletter.html


def test_submitted_markup_is_shown_as_text(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore, tmp_path: Path
) -> None:
    draft_id = build(
        title="<script>alert(1)</script>", what_and_why='<img src=x onerror="alert(1)"> & muuta'
    )
    with sessions.begin() as session:
        operations.approve(session, draft_id, "eeva")
        editions.new_edition(session, "2025-05", "eeva", "<b>Hei</b> {{LINKKI:1}}")
        editions.add_practices(session, "2025-05", [draft_id], "eeva")
    with sessions.begin() as session:
        newsletter = build_newsletter(
            session, blobs, "2025-05", PublishingSettings(base_url=BASE_URL)
        )
    for html in (newsletter.html, newsletter.html_alone):
        assert "<script>" not in html and "<img src=x" not in html and "<b>Hei" not in html
        assert "&lt;script&gt;" in html
    assert "<script>alert(1)</script>" in newsletter.text
