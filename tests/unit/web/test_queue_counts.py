"""The queue page says when a count stopped at the cap of a search or flag filter: "yli 1 000"
(more than 1 000) in the status tab, the total and the "all" tab, and "sivu 2" without a last
page, since the number of pages is not known."""

from __future__ import annotations

from starlette.requests import Request

from practices.web.pages import grouped, queue_context
from practices.web.rendering import ENV, page_globals
from review.queue import QueueFilters, QueuePage

NBSP = "\u00a0"


def _render(result: QueuePage, filters: QueueFilters) -> str:
    request = Request({"type": "http", "root_path": "", "path": "/drafts", "headers": []})
    values = {**page_globals(request, "fi"), "editor": "anna", "csrf_token": "x"}
    return ENV.get_template("queue.html").render({**values, **queue_context(filters, result)})


def _tab(html: str, name: str) -> str:
    marker = f'>{name} <span class="count">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("</span>", start)]


def test_numbers_are_grouped_by_three_digits_as_finns_write_them() -> None:
    assert grouped(1000) == f"1{NBSP}000"
    assert grouped(12345678) == f"12{NBSP}345{NBSP}678"
    assert grouped(999) == "999"


def test_a_capped_count_reads_more_than_the_cap_in_finnish() -> None:
    result = QueuePage(
        rows=[],
        total=1003,
        page=2,
        pages=3,
        counts={"draft": 1000, "rejected": 3},
        over=frozenset({"draft"}),
        total_over=True,
    )
    html = _render(result, QueueFilters(status="", search="kunta"))
    assert _tab(html, "Luonnos") == f"yli 1{NBSP}000"
    assert _tab(html, "Hylätty") == "3"
    assert _tab(html, "Kaikki") == f"yli 1{NBSP}003"
    assert f"yli 1{NBSP}003 käytäntöä" in html
    assert "sivu 2<" in html and "sivu 2/" not in html
    assert 'rel="next"' in html and 'rel="prev"' in html


def test_exact_counts_read_as_before() -> None:
    result = QueuePage(rows=[], total=120, page=1, pages=3, counts={"draft": 120})
    html = _render(result, QueueFilters(status="draft"))
    assert _tab(html, "Luonnos") == "120"
    assert "120 käytäntöä" in html and "sivu 1/3" in html and "yli" not in html
