"""The static site export: pages in each practice's language, relative links, photos with
srcset, alt text and credit, theme counts; a re-export writes only what changed and removes what
is no longer approved."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import NamedTuple

import pytest
from sqlalchemy.orm import Session, sessionmaker

from core.catalogue import SECTIONS, TABLES
from core.config.mailout import PublishingSettings
from core.errors import ConfigError
from review import operations
from review.export import export
from review.output import MANIFEST
from store.files import BlobStore
from tests.publishing_set import BASE_URL, Published, publish_set
from tests.unit.review.conftest import Builder

PORTRAIT = "5-lakiluonnokset-avoimesti-kommentoitaviksi-jo-valmistelun.html"
SWEDISH = "3-oppna-data-om-kollektivtrafiken-i-realtid.html"
ENGLISH = "4-open-budget-workshops-with-civil-society-organisations.html"


class Case(NamedTuple):
    """What a practice page shows: its language, its photo's shape ("" for none), the links
    in "more information" (space-separated) and the questions it answers."""

    lang: str
    photo: str
    addresses: str
    answered: tuple[str, ...] = tuple(SECTIONS)


# The practice pages that the golden files hold by digest only, each for the case it shows.
PRACTICE_PAGES = {
    "2-selkokieliset-lupaohjeet.html": Case("fi", "", "https://esimerkkila.example/selko"),
    SWEDISH: Case("sv", "landscape", "https://www.vaasa.fi/oppna-data mailto:data@vaasa.fi"),
    ENGLISH: Case("en", "landscape", "https://www.espoo.fi/open-budget"),
    PORTRAIT: Case("fi", "portrait", "https://oikeusministerio.example/avoin-valmistelu"),
    "6-ungdomsfullmaktige-planerar-skolgardarna.html": Case("sv", "", "mailto:ungdom@porvoo.fi"),
    "7-kunnan-paatokset-avoimena-datana.html": Case(
        "fi",
        "",
        "https://data.tampere.example/paatokset",
        ("what_and_why", "achieved", "more_info"),
    ),
}
THEME_PAGES: tuple[str, ...] = ("ymmarrettavyys.html", "osallisuus.html", "avoin-toiminta.html")
THEME_PAGES += ("hallinto-mahdollistajana.html", "avoin-data.html")


class Page(HTMLParser):
    """What a test needs of a page: its lang, headings, links, images, figures and scripts."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lang = ""
        self.headings: list[tuple[str, str]] = []
        self.links: list[str] = []
        self.sources: list[str] = []
        self.images: list[dict[str, str | None]] = []
        self.figures: list[str] = []
        self.scripts = 0
        self.handlers: list[str] = []
        self._heading: str | None = None
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.handlers += [name for name in found if name.startswith("on")]
        if tag == "html":
            self.lang = found.get("lang") or ""
        if tag in ("h1", "h2", "h3"):
            self._heading, self._text = tag, []
        if tag == "a":
            self.links.append(found.get("href") or "")
        if tag == "link":
            self.sources.append(found.get("href") or "")
        if tag == "img":
            self.images.append(found)
        if tag == "figure":
            self.figures.append(found.get("class") or "")
        if tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        if self._heading:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._heading:
            self.headings.append((tag, "".join(self._text).strip()))
            self._heading = None


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_set(tmp_path_factory.mktemp("site"))


def page(published: Published, name: str) -> Page:
    return Page((published.site / name).read_text(encoding="utf-8"))


def html_files(published: Published) -> list[Path]:
    return sorted(published.site.glob("*.html"))


def test_the_site_has_a_front_page_five_theme_pages_a_page_per_practice_and_one_stylesheet(
    published: Published,
) -> None:
    names = {path.name for path in html_files(published)}
    assert "index.html" in names and set(THEME_PAGES) <= names
    assert len([name for name in names if name[0].isdigit()]) == 7
    assert [p.name for p in published.site.glob("*.css")] == ["style.css"]


def test_every_page_has_a_lang_a_viewport_the_stylesheet_and_no_script(
    published: Published,
) -> None:
    for path in html_files(published):
        text = path.read_text(encoding="utf-8")
        parsed = Page(text)
        assert parsed.lang in ("fi", "sv", "en"), path.name
        assert 'name="viewport"' in text and "style.css" in parsed.sources, path.name
        assert parsed.scripts == 0 and parsed.handlers == [], path.name


def test_every_link_between_pages_is_relative(published: Published) -> None:
    for path in html_files(published):
        for href in Page(path.read_text(encoding="utf-8")).links:
            if href.startswith(("https://", "http://", "mailto:", "#")):
                continue  # the practices' own "more information" links, the skip link
            assert not href.startswith("/"), f"{path.name}: {href}"
            assert (published.site / href).is_file(), f"{path.name}: {href} is missing"


def test_a_swedish_practice_has_swedish_headings_and_labels(published: Published) -> None:
    parsed = page(published, SWEDISH)
    assert parsed.lang == "sv"
    questions = [text for tag, text in parsed.headings if tag == "h2"]
    assert questions == [SECTIONS[key]["sv"] for key in SECTIONS]
    text = (published.site / SWEDISH).read_text(encoding="utf-8")
    assert "Publicerad" in text and "Foto: Vasa stad" in text and "Julkaistu" not in text


def test_front_and_theme_pages_are_finnish_and_mark_other_languages(published: Published) -> None:
    front = (published.site / "index.html").read_text(encoding="utf-8")
    assert Page(front).lang == "fi"
    assert '<h3 class="card-title" lang="sv"><a href="' + SWEDISH in front
    assert '<h3 class="card-title" lang="en"><a href="' + ENGLISH in front


def test_theme_pages_show_how_many_practices_each_theme_has(published: Published) -> None:
    front = (published.site / "index.html").read_text(encoding="utf-8")
    assert 'Osallisuus</span> <span class="theme-count">2 käytäntöä' in front
    assert 'Avoin toiminta</span> <span class="theme-count">1 käytäntö<' in front
    theme = (published.site / "osallisuus.html").read_text(encoding="utf-8")
    assert theme.count('<li class="card') == 2 and "2 käytäntöä. Uusin ensin." in theme


@pytest.mark.parametrize("name", sorted(PRACTICE_PAGES))
def test_a_practice_page_answers_in_its_language_shows_its_photo_and_links_its_addresses(
    published: Published, name: str
) -> None:
    lang, photo, addresses, answered = PRACTICE_PAGES[name]
    text = (published.site / name).read_text(encoding="utf-8")
    parsed = Page(text)
    assert parsed.lang == lang
    assert [heading for tag, heading in parsed.headings if tag == "h2"] == [
        SECTIONS[key][lang] for key in answered
    ]
    for label in ("organisation", "published", "theme"):
        assert f"<dt>{TABLES['site'][label][lang]}</dt>" in text
    assert parsed.figures == ([f"practice-photo {photo}"] if photo else [])
    assert ('property="og:image"' in text) == bool(photo)
    links = [href for href in parsed.links if href.startswith(("https:", "mailto:"))]
    assert links == addresses.split()


def test_a_theme_page_lists_the_practices_filed_under_it_and_marks_itself_current(
    published: Published,
) -> None:
    practices = {path.name: page(published, path.name) for path in published.site.glob("[0-9]*")}
    for name in THEME_PAGES:
        parsed = page(published, name)
        filed = {practice for practice, other in practices.items() if name in other.links}
        assert {href for href in parsed.links if href[0].isdigit()} == filed, name
        [title] = [text for tag, text in parsed.headings if tag == "h1"]
        current = f'<span aria-current="page">{title}</span>'
        assert current in (published.site / name).read_text(encoding="utf-8"), name


def test_the_main_photo_has_srcset_size_alt_text_and_credit(published: Published) -> None:
    [image] = page(published, PORTRAIT).images
    assert image["width"] == "1200" and image["height"] == "1600"
    assert (
        image["alt"]
        == "Lakiluonnos kannettavan tietokoneen näytöllä, vieressä kahvikuppi ja muistiinpanoja"
    )
    srcset = str(image["srcset"])
    assert re.fullmatch(r"kuvat/5-\w{12}\.jpg 300w, kuvat/5-\w{12}\.jpg 1200w", srcset)
    for candidate in srcset.split(", "):
        assert (published.site / candidate.split()[0]).is_file()
    assert "<figcaption>Kuva: Oikeusministeriö</figcaption>" in (
        published.site / PORTRAIT
    ).read_text(encoding="utf-8")


def test_a_photo_without_alt_text_gets_a_clear_fallback_not_the_title(published: Published) -> None:
    [image] = page(published, ENGLISH).images
    assert image["alt"] == (
        "Illustration for the practice “Open budget workshops with civil society organisations”"
    )


def test_cards_show_thumbnails_as_decoration(published: Published) -> None:
    images = Page((published.site / "index.html").read_text(encoding="utf-8")).images
    assert images and all(image["alt"] == "" and image["width"] for image in images)


def test_an_unchanged_re_export_rewrites_no_file(published: Published, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publishing = PublishingSettings(base_url=BASE_URL)
    with published.sessions.begin() as session:
        first = export(session, published.blobs, out, "html", publishing=publishing)
    stamps = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    with published.sessions.begin() as session:
        again = export(session, published.blobs, out, "html", publishing=publishing)
    assert first.written and again.written == [] and again.removed == []
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()} == stamps


def approved_with_photo(build: Builder, sessions: sessionmaker[Session], blobs: BlobStore) -> int:
    web = blobs.put_derivative(b"\xff\xd8 kuvan tavut", "jpg")
    draft_id = build(
        title="Peruttava käytäntö",
        theme="open_data",
        photos=({"web_path": web, "web_width": 800, "web_height": 600, "alt_text": "Kuva"},),
    )
    with sessions.begin() as session:
        operations.approve(session, draft_id, "eeva")
    return draft_id


@pytest.mark.parametrize("withdraw", ["reopen", "reject"])
def test_a_withdrawn_practice_disappears_and_its_page_and_photo_are_removed(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore, tmp_path: Path, withdraw: str
) -> None:
    kept = build(title="Pysyvä käytäntö", theme="open_data", subject="pysyvä")
    with sessions.begin() as session:
        operations.approve(session, kept, "eeva")
    gone = approved_with_photo(build, sessions, blobs)
    out = tmp_path / "site"
    with sessions.begin() as session:
        export(session, blobs, out, "html")
    page_name = f"{gone}-peruttava-kaytanto.html"
    assert (out / page_name).is_file() and list((out / "kuvat").iterdir())
    (out / "oma-tiedosto.txt").write_text("toimittajan oma")
    with sessions.begin() as session:
        if withdraw == "reopen":
            operations.reopen(session, gone, "eeva")
        else:
            operations.reopen(session, gone, "eeva")
            operations.reject(session, gone, "eeva", reason="ei julkaista")
    with sessions.begin() as session:
        report = export(session, blobs, out, "html")
    assert not (out / page_name).exists()
    assert page_name in report.removed and not list((out / "kuvat").iterdir())
    assert "Peruttava" not in (out / "index.html").read_text(encoding="utf-8")
    assert "Peruttava" not in (out / "avoin-data.html").read_text(encoding="utf-8")
    assert (out / f"{kept}-pysyva-kaytanto.html").is_file()
    assert (out / "oma-tiedosto.txt").read_text() == "toimittajan oma"
    assert (out / MANIFEST).is_file()


def test_a_corrected_title_renames_the_page_and_removes_the_old_one(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore, tmp_path: Path
) -> None:
    draft_id = build(title="Vanha otsikko", theme="open_data")
    with sessions.begin() as session:
        operations.approve(session, draft_id, "eeva")
    with sessions.begin() as session:
        export(session, blobs, tmp_path, "html")
    with sessions.begin() as session:
        operations.reopen(session, draft_id, "eeva")
        operations.edit_fields(session, draft_id, {"title": "Uusi otsikko"}, "eeva")
        operations.approve(session, draft_id, "eeva")
    with sessions.begin() as session:
        export(session, blobs, tmp_path, "html")
    assert not (tmp_path / f"{draft_id}-vanha-otsikko.html").exists()
    assert (tmp_path / f"{draft_id}-uusi-otsikko.html").is_file()


def test_without_base_url_the_site_has_no_feed_and_no_absolute_address(
    published: Published, tmp_path: Path
) -> None:
    with published.sessions.begin() as session:
        report = export(session, published.blobs, tmp_path, "html")
    assert report.feed_skipped and not (tmp_path / "feed.xml").exists()
    for path in tmp_path.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "avoinhallinto.example" not in text and 'rel="canonical"' not in text


def test_the_atom_export_without_base_url_is_an_error_naming_the_key(
    published: Published, tmp_path: Path
) -> None:
    with published.sessions.begin() as session, pytest.raises(ConfigError) as caught:
        export(session, published.blobs, tmp_path, "atom", config_source="/etc/p.toml")
    assert caught.value.key == "publishing.base_url"
    assert not tmp_path.joinpath("feed.xml").exists()


def test_a_missing_photo_file_exports_the_page_without_it(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore, tmp_path: Path
) -> None:
    draft_id = approved_with_photo(build, sessions, blobs)
    for path in (blobs.data_dir / "photos").rglob("*.jpg"):
        path.unlink()
    with sessions.begin() as session:
        report = export(session, blobs, tmp_path, "html")
    assert report.missing_photos == [draft_id]
    assert "<img" not in (tmp_path / f"{draft_id}-peruttava-kaytanto.html").read_text(
        encoding="utf-8"
    )
