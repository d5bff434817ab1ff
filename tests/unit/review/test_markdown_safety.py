"""Submitted text in the Markdown export renders as itself in a real renderer (markdown-it-py):
no link, image, heading, list, HTML or shortcode comes from it; links come only from the
approved "Lisätietoa" section, and only to http, https and mailto addresses."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from sqlalchemy.orm import Session, sessionmaker

from core.config.mailout import PublishingSettings
from review import editions, operations
from review.export import export
from review.markdown_text import autolink, defuse_placeholders, markdown_line
from review.newsletter import build_newsletter
from store.files import BlobStore
from store.models import PracticeDraft
from tests.unit.review.conftest import Builder

# CommonMark with GFM's tables, strikethrough and linkify (bare URLs, www. and addresses become
# links), which Hugo's Markdown renderer also turns on by default.
RENDERER = MarkdownIt("gfm-like")

HOSTILE_LINES = [
    "[klikkaa](javascript:alert(document.cookie))",
    "![k](https://evil.example/track.png)",
    "# Otsikko",
    "   ## Sisennetty otsikko",
    "Alleviivattu otsikko",
    "===",
    "---",
    "* * *",
    "- lista",
    "+ toinen lista",
    "1. numeroitu",
    "2) toinen numeroitu",
    "> lainaus",
    "<img src=x onerror=alert(1)>",
    '<a href="https://evil.example">linkki</a>',
    "<https://evil.example/autolinkki>",
    "https://evil.example/paljas ftp://evil.example/ftp www.evil.fi vm.fi maija@evil.example",
    "[viite][1]",
    "[1]: https://evil.example/viite",
    "&#106;avascript:alert(1) &amp; &copy;",
    "{{% shortcode %}} {{< youtube abc >}} {{LINKKI:1-joku}} {% raw %}",
    "| a | b |",
    "|---|---|",
    "```",
    "~~~",
    "    sisennetty koodi",
    "*korostus* __lihava__ `koodi` ~~yliviivattu~~ \\",
    "tähti\\*escape",
]


def rendered_export(sessions: sessionmaker[Session], blobs: BlobStore, out: Path) -> str:
    with sessions.begin() as session:
        export(session, blobs, out, "markdown")
    [page] = out.glob("*.md")
    body = page.read_text(encoding="utf-8").split("---\n", 2)[2]
    rendered: str = RENDERER.render(body)
    return rendered


def approve(sessions: sessionmaker[Session], draft_id: int) -> None:
    with sessions.begin() as session:
        operations.approve(session, draft_id, "anna", force=True)


def visible_text(rendered: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_no_link_image_heading_or_block_comes_from_submitted_text(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore, tmp_path: Path
) -> None:
    text = "\n".join(HOSTILE_LINES)
    approve(sessions, build(what_and_why=text, achieved=text, next_steps=text, more_info=""))
    rendered = rendered_export(sessions, blobs, tmp_path)
    for tag in ("<a", "<img", "<h1", "<h3", "<ul", "<ol", "<blockquote", "<pre", "<code",
                "<hr", "<table", "<em", "<strong", "<s>", "<script"):  # fmt: skip
        assert tag not in rendered
    headings = re.findall(r"<h2>(.*?)</h2>", rendered)
    assert headings == ["Mitä tehtiin ja miksi?", "Mitä saatiin aikaiseksi?", "Mitä jatkossa?"]
    for line in HOSTILE_LINES:
        assert line.strip() in visible_text(rendered)


def test_no_shortcode_or_placeholder_survives_in_the_file(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore, tmp_path: Path
) -> None:
    approve(sessions, build(what_and_why="{{% x %}} {{LINKKI:1-a}} {%raw%}", more_info="{{<y>}}"))
    with sessions.begin() as session:
        export(session, blobs, tmp_path, "markdown")
    [page] = tmp_path.glob("*.md")
    source = page.read_text(encoding="utf-8")
    assert "{{" not in source and "{%" not in source and "%}" not in source


def test_more_info_links_only_allowed_schemes_each_showing_its_own_address(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore, tmp_path: Path
) -> None:
    more_info = (
        "Sivu: https://esimerkkila.fi/selko. Kysy: maija.virtanen@esimerkkila.fi\n"
        "[harhaanjohtava](https://evil.example) javascript:alert(1) "
        "data:text/html,<script>x</script> ftp://vanha.example/tiedosto"
    )
    approve(sessions, build(more_info=more_info))
    rendered = rendered_export(sessions, blobs, tmp_path)
    links = re.findall(r'<a href="([^"]*)">([^<]*)</a>', rendered)
    assert links == [
        ("https://esimerkkila.fi/selko", "https://esimerkkila.fi/selko"),
        ("mailto:maija.virtanen@esimerkkila.fi", "maija.virtanen@esimerkkila.fi"),
        ("https://evil.example", "https://evil.example"),
    ]
    assert "javascript:alert(1)" in visible_text(rendered)
    assert "ftp://vanha.example/tiedosto" in visible_text(rendered)


NOT_LINKS = ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x",
             "file:///etc", "https:", "https://", "http:evil.example"]  # fmt: skip


@pytest.mark.parametrize("url", NOT_LINKS)
def test_only_http_https_and_mailto_addresses_become_links(url: str) -> None:
    assert autolink(url) is None
    assert "<" not in markdown_line(url, links=True).replace("&lt;", "")


def test_braces_in_a_link_cannot_open_a_shortcode() -> None:
    line = markdown_line("https://x.fi/{{<evil>}} {{% x %}}", links=True)
    assert line.startswith("<https://x.fi/%7B%7B>")
    assert "{{" not in line and "}}" not in line and "{%" not in line


def test_the_newsletter_fills_no_placeholder_a_sender_wrote(
    sessions: sessionmaker[Session], build: Builder, blobs: BlobStore
) -> None:
    draft_id = build(
        title="{{LINKKI:1-vale}}", organisation="{%raw%}", what_and_why="Katso {{LINKKI:2-vale}}."
    )
    with sessions.begin() as session:
        draft = session.get(PracticeDraft, draft_id)
        assert draft is not None
        draft.status, draft.approved_at = "approved", datetime(2025, 5, 20, tzinfo=UTC)
        editions.new_edition(session, "2025-05", "eeva", "Johdanto {{LINKKI:3-vale}} {%x%}")
        editions.add_practices(session, "2025-05", [draft_id], "eeva")
    publishing = PublishingSettings(base_url="https://avoinhallinto.example")
    with sessions.begin() as session:
        digest = build_newsletter(session, blobs, "2025-05", publishing)
    for output in (digest.text, digest.html, digest.html_alone):
        assert "{{" not in output and "{%" not in output
    assert "LINKKI:1-vale" in digest.text and "LINKKI:2-vale" in digest.html
    assert defuse_placeholders("{{a}} {%b%}") == "{ {a} } { %b% }"
