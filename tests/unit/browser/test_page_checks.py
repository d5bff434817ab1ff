"""The page checks themselves: they must catch a page that scrolls sideways or lacks alt text."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.browser import PHONE, horizontal_overflow, serious_violations

FITTING = """<!doctype html><html lang="fi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sopii</title></head>
<body><main><h1>Sopii puhelimeen</h1><p>Lyhyt teksti.</p></main></body></html>"""

TOO_WIDE = FITTING.replace("<p>Lyhyt teksti.</p>", '<div style="width:900px">leveä</div>')

IMAGE_WITHOUT_ALT = FITTING.replace(
    "<p>Lyhyt teksti.</p>", '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1">'
)


def test_a_page_that_fits_the_phone_has_no_overflow_and_no_serious_violation(
    browser: Browser,
) -> None:
    page = browser.new_page(viewport=PHONE)
    page.set_content(FITTING)
    assert horizontal_overflow(page) == 0
    assert serious_violations(page) == []
    page.close()


def test_a_900_px_block_scrolls_sideways_on_a_phone(browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.set_content(TOO_WIDE)
    assert horizontal_overflow(page) > 400
    page.close()


def test_an_image_without_alt_text_is_a_serious_violation(browser: Browser) -> None:
    page = browser.new_page(viewport=PHONE)
    page.set_content(IMAGE_WITHOUT_ALT)
    assert [v["id"] for v in serious_violations(page)] == ["image-alt"]
    page.close()
