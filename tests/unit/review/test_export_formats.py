"""Markdown for Hugo and Jekyll, the versioned JSON document and the Atom feed: what a site
generator, a script and a feed reader get, parsed back the way they would read it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

from core.config.mailout import PublishingSettings
from review import operations
from review.export import FORMATS, export
from review.feed import entry_id
from review.publishing import lead
from store.files import BlobStore
from tests.publishing_set import BASE_URL, Published, publish_set
from tests.unit.review.conftest import Builder

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    return publish_set(tmp_path_factory.mktemp("formats"))


def parse_feed(path: Path) -> ET.Element:
    # Our own output, written a moment ago: no untrusted XML here.
    return ET.parse(path).getroot()  # noqa: S314


def front_matter(path: Path) -> dict[str, object]:
    _, front, _body = path.read_text(encoding="utf-8").split("---\n", 2)
    loaded = yaml.safe_load(front)
    assert isinstance(loaded, dict)
    return loaded


def test_markdown_front_matter_has_what_hugo_and_jekyll_read(published: Published) -> None:
    front = front_matter(published.markdown / "3-oppna-data-om-kollektivtrafiken-i-realtid.md")
    assert front["title"] == "Öppna data om kollektivtrafiken i realtid"
    assert front["date"] == date(2025, 5, 14)
    assert front["categories"] == ["Avoin data"] and front["theme_key"] == "open_data"
    assert front["organisation"] == "Vasa stad" and front["lang"] == "sv"
    assert str(front["summary"]).startswith("Invånarna efterlyste")
    assert front["image"] == front["images"][0]  # type: ignore[index]
    assert (published.markdown / str(front["image"])).is_file()
    assert front["image_alt"] and front["image_credit"] == "Vasa stad"


def test_markdown_headings_are_in_the_practices_language(published: Published) -> None:
    body = (published.markdown / "3-oppna-data-om-kollektivtrafiken-i-realtid.md").read_text(
        encoding="utf-8"
    )
    assert "## Vad gjordes och varför?" in body and "Mitä tehtiin" not in body


def test_front_matter_values_read_back_exactly_even_with_braces_and_quotes(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore, tmp_path: Path
) -> None:
    title = 'Otsikko {{ x }} "lainaus" \\ {%raw%} – ja\u2028rivi'
    draft_id = build(title=title, organisation="Kunta: {{LINKKI:1}}")
    with sessions.begin() as session:
        operations.approve(session, draft_id, "eeva", force=True)
    with sessions.begin() as session:
        export(session, blobs, tmp_path, "markdown")
    [page] = tmp_path.glob("*.md")
    front = front_matter(page)
    assert front["title"] == " ".join(title.split())
    assert front["organisation"] == "Kunta: {{LINKKI:1}}"
    assert "{{" not in page.read_text(encoding="utf-8")


def test_json_keeps_its_versioned_schema_and_adds_page_url_and_photo(
    published: Published,
) -> None:
    document = json.loads((published.json / "practices.json").read_text(encoding="utf-8"))
    assert (document["schema"], document["version"]) == ("practice-inbox/export", 1)
    assert [p["id"] for p in document["practices"]] == [1, 2, 3, 4, 5, 6, 7]
    first = document["practices"][0]
    assert first["url"] == f"{BASE_URL}/1-asukasillat-verkossa-ja-kylataloilla.html"
    assert first["theme_name"] == "osallisuus" and first["published_on"] == "2025-05-20"
    assert (published.json / first["photo"]["path"]).is_file()
    assert (published.json / first["photo"]["thumbnail"]["path"]).is_file()
    assert "contact_email" not in first and "contact_name" not in first


def test_the_feed_lists_the_newest_first_with_absolute_links_summaries_and_photos(
    published: Published,
) -> None:
    feed = parse_feed(published.site / "feed.xml")
    entries = feed.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles[:2] == [
        "Lakiluonnokset avoimesti kommentoitaviksi jo valmistelun alussa",
        "Asukasillat verkossa ja kylätaloilla",
    ]
    published_times = [entry.findtext(f"{ATOM}published") or "" for entry in entries]
    assert published_times == sorted(published_times, reverse=True)
    for entry in entries:
        links = {link.get("rel"): link.get("href") or "" for link in entry.findall(f"{ATOM}link")}
        assert links["alternate"].startswith(BASE_URL + "/")
        assert (published.site / links["alternate"].removeprefix(BASE_URL + "/")).is_file()
        assert entry.findtext(f"{ATOM}summary")
        if "enclosure" in links:
            assert (published.site / links["enclosure"].removeprefix(BASE_URL + "/")).is_file()
    assert (
        sum(1 for entry in entries if entry.find(f"{ATOM}link[@rel='enclosure']") is not None) == 4
    )
    assert feed.findtext(f"{ATOM}updated") == "2025-05-28T12:15:00Z"


def test_a_feed_entry_keeps_its_id_when_the_title_is_corrected() -> None:
    assert entry_id(BASE_URL, 12) == entry_id(BASE_URL, 12)
    assert entry_id(BASE_URL, 12) != entry_id(BASE_URL, 13)
    assert entry_id(BASE_URL, 12).startswith("urn:uuid:")


def test_the_feed_lists_at_most_feed_entries(published: Published, tmp_path: Path) -> None:
    publishing = PublishingSettings(base_url=BASE_URL, feed_entries=2)
    with published.sessions.begin() as session:
        report = export(session, published.blobs, tmp_path, "atom", publishing=publishing)
    assert report.files == ["feed.xml"]
    feed = parse_feed(tmp_path / "feed.xml")
    assert len(feed.findall(f"{ATOM}entry")) == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_exporting_twice_gives_identical_files(
    published: Published, tmp_path: Path, fmt: str
) -> None:
    publishing = PublishingSettings(base_url=BASE_URL)
    for folder in ("a", "b"):
        with published.sessions.begin() as session:
            export(session, published.blobs, tmp_path / folder, fmt, publishing=publishing)

    def tree(folder: Path) -> dict[str, bytes]:
        return {
            str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()
        }

    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_since_leaves_out_earlier_approvals(published: Published, tmp_path: Path) -> None:
    with published.sessions.begin() as session:
        report = export(session, published.blobs, tmp_path, "json", since=date(2025, 5, 15))
    assert report.practices == 2
    document = json.loads((tmp_path / "practices.json").read_text(encoding="utf-8"))
    assert [p["id"] for p in document["practices"]] == [1, 5]


def test_lead_keeps_whole_sentences_within_the_limit() -> None:
    text = "Ensimmäinen lause. " + "Toinen lause on pitkä " * 20 + "loppu."
    assert lead(text) == "Ensimmäinen lause."


def test_lead_cuts_one_long_sentence_at_a_word() -> None:
    cut = lead("sana " * 100)
    assert cut.endswith("sana…") and len(cut) <= 300
