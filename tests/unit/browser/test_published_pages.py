"""Every exported page and the newsletter, in a real Chromium: no sideways scrolling at 390 and
320 px, images inside their column, headings in the page's language, no serious or critical
axe-core violation (a screenshot is kept when a check fails)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize

from core.catalogue import SECTIONS, TABLES
from tests.browser import DESKTOP, PHONE, assert_page_fits_and_is_accessible, horizontal_overflow
from tests.publishing_set import BASE_URL, Published, publish_set

NARROWEST: ViewportSize = {"width": 320, "height": 640}
IMAGES_OUTSIDE = """() => [...document.images].filter(image => {
  const box = image.getBoundingClientRect();
  const column = image.parentElement.getBoundingClientRect();
  return box.width > document.documentElement.clientWidth
      || box.left < column.left - 1 || box.right > column.right + 1;
}).map(image => image.getAttribute('src'))"""
HEADINGS = (
    "() => [...document.querySelectorAll('h1, h2')].map(h => [h.tagName, h.textContent.trim()])"
)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_set(tmp_path_factory.mktemp("pages"))


def site_pages() -> list[str]:
    # The names are fixed by the set; the fixture's folder holds exactly these pages.
    return [
        "index.html",
        "ymmarrettavyys.html",
        "osallisuus.html",
        "avoin-toiminta.html",
        "hallinto-mahdollistajana.html",
        "avoin-data.html",
        "1-asukasillat-verkossa-ja-kylataloilla.html",
        "2-selkokieliset-lupaohjeet.html",
        "3-oppna-data-om-kollektivtrafiken-i-realtid.html",
        "4-open-budget-workshops-with-civil-society-organisations.html",
        "5-lakiluonnokset-avoimesti-kommentoitaviksi-jo-valmistelun.html",
        "6-ungdomsfullmaktige-planerar-skolgardarna.html",
        "7-kunnan-paatokset-avoimena-datana.html",
    ]


@pytest.fixture
def page(browser: Browser, published: Published) -> Iterator[Page]:
    """A tab whose requests to base_url are answered from the exported site, as the
    newsletter's readers' mail clients would fetch its photos from the published site."""
    tab = browser.new_page(viewport=PHONE)

    def from_site(route: Route) -> None:
        route.fulfill(path=str(published.site / route.request.url.removeprefix(BASE_URL + "/")))

    tab.route(f"{BASE_URL}/**", from_site)
    yield tab
    tab.close()


def load(page: Page, path: Path) -> None:
    page.goto(path.as_uri())
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # lazy images too
    page.wait_for_function("() => [...document.images].every(image => image.complete)")


def test_the_set_has_exactly_these_pages(published: Published) -> None:
    assert sorted(site_pages()) == sorted(p.name for p in published.site.glob("*.html"))


def assert_headings_in_language(page: Page, name: str) -> None:
    """A practice's questions in its page's language; the site's own pages in Finnish."""
    lang = page.evaluate("() => document.documentElement.lang")
    headings: list[list[str]] = page.evaluate(HEADINGS)
    if name[0].isdigit():
        questions = [text for tag, text in headings if tag == "H2"]
        assert questions and set(questions) <= {SECTIONS[key][lang] for key in SECTIONS}, name
    else:
        site = TABLES["site"]
        texts = {text for _tag, text in headings}
        assert lang == "fi" and texts & {site["section_title"]["fi"], site["themes_heading"]["fi"]}


@pytest.mark.parametrize("name", site_pages())
def test_an_exported_page_fits_every_width_is_accessible_and_speaks_its_language(
    page: Page, published: Published, name: str
) -> None:
    load(page, published.site / name)
    assert_page_fits_and_is_accessible(page, f"published-{name}-390")
    assert page.evaluate(IMAGES_OUTSIDE) == []
    assert_headings_in_language(page, name)
    for viewport in (NARROWEST, DESKTOP):
        page.set_viewport_size(viewport)
        assert horizontal_overflow(page) == 0, f"{name} at {viewport['width']} px"
        assert page.evaluate(IMAGES_OUTSIDE) == [], f"{name} at {viewport['width']} px"


def test_the_portrait_photo_does_not_fill_the_phone_screen(
    page: Page, published: Published
) -> None:
    load(page, published.site / "5-lakiluonnokset-avoimesti-kommentoitaviksi-jo-valmistelun.html")
    height = page.evaluate(
        "() => document.querySelector('figure img').getBoundingClientRect().height"
    )
    assert 200 < height <= 0.6 * PHONE["height"]


@pytest.mark.parametrize("viewport", [PHONE, NARROWEST, DESKTOP], ids=lambda v: str(v["width"]))
def test_the_newsletter_fits_and_is_accessible(
    page: Page, published: Published, viewport: dict[str, int]
) -> None:
    page.set_viewport_size({"width": viewport["width"], "height": viewport["height"]})
    load(page, published.newsletter[1])
    assert_page_fits_and_is_accessible(page, f"newsletter-{viewport['width']}")
    assert page.evaluate(IMAGES_OUTSIDE) == []
    loaded = page.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    assert loaded, "a photo of the newsletter did not load from the published site"
