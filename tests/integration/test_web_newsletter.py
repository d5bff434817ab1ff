"""The newsletter in the console, as an editor who never opens a terminal composes it: a new
edition, approved practices picked and put in order, an intro, and the message downloaded."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage

from playwright.sync_api import BrowserContext, expect

from core.config import load_settings
from review import operations
from store.app import open_app
from tests.browser import assert_page_fits_and_is_accessible
from tests.integration.webconsole import (
    EDITOR,
    TWO_PHOTOS_TITLE,
    ConsoleServer,
    PageOpener,
)

PICKED = (TWO_PHOTOS_TITLE, "Ristiriitakoe 1", "Ristiriitakoe 2")


def approve(server: ConsoleServer, titles: tuple[str, ...]) -> list[int]:
    ids = [server.draft_id(title) for title in titles]
    app = open_app(load_settings(server.config))
    try:
        with app.sessions.begin() as session:
            for draft_id in ids:
                operations.approve(session, draft_id, EDITOR, force=True, note="testi")
    finally:
        app.close()
    return ids


def test_an_editor_composes_and_downloads_the_months_newsletter(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    ids = approve(console_server, PICKED)
    page = open_page(editor, f"{console_server.base}/drafts")
    page.click("nav.sections a:has-text('Uutiskirje')")
    expect(page.locator("h1")).to_have_text("Uutiskirjeet")
    page.fill("#edition-month", "2026-06")
    page.click("button:has-text('Luo numero')")
    expect(page.locator("h1")).to_have_text("Uutiskirje: kesäkuu 2026")
    expect(page.locator(".notice.ok")).to_contain_text("Numero luotu")
    for title in PICKED:
        page.locator(".edition-item", has_text=title).locator("button:has-text('Lisää')").click()
        expect(page.locator(".notice.ok")).to_contain_text("lisätty")
    listed = page.locator("ol.edition-items > li .edition-facts > a")
    expect(listed).to_have_text(list(PICKED))
    page.locator("ol.edition-items > li", has_text="Ristiriitakoe 2").locator(
        "button:has-text('Ylös')"
    ).click()
    expect(listed).to_have_text([TWO_PHOTOS_TITLE, "Ristiriitakoe 2", "Ristiriitakoe 1"])
    page.locator("ol.edition-items > li", has_text="Ristiriitakoe 1").locator(
        "button:has-text('Poista')"
    ).click()
    expect(listed).to_have_text([TWO_PHOTOS_TITLE, "Ristiriitakoe 2"])
    page.fill("#edition-intro", "Kesäkuun viestissä kaksi kokemusta.")
    page.click("button:has-text('Tallenna johdanto')")
    expect(page.locator("#edition-intro")).to_have_value("Kesäkuun viestissä kaksi kokemusta.")
    assert_page_fits_and_is_accessible(page, "newsletter-edition-390")

    with page.expect_download() as download:
        page.click("a:has-text('Lataa viesti (.eml)')")
    assert download.value.suggested_filename == "uutiskirje-2026-06.eml"
    path = download.value.path()
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    html = message.get_body(preferencelist=("html",))
    text = message.get_body(preferencelist=("plain",))
    assert html is not None and text is not None
    assert "Kesäkuun viestissä kaksi kokemusta." in text.get_content()
    content = html.get_content()
    assert content.index(TWO_PHOTOS_TITLE) < content.index("Ristiriitakoe 2")
    assert "Ristiriitakoe 1" not in content and f"/{ids[0]}-" in content


def test_the_list_of_editions_fits_a_phone_and_marks_a_practice_sent_before(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, f"{console_server.base}/newsletters")
    page.fill("#edition-month", "2026-07")
    page.click("button:has-text('Luo numero')")
    earlier = page.locator(".edition-item", has_text=TWO_PHOTOS_TITLE)
    expect(earlier.locator(".badge")).to_have_text("jo uutiskirjeessä 2026-06")
    page.goto(f"{console_server.base}/newsletters")
    expect(page.locator(".edition-row")).to_have_count(2)
    assert_page_fits_and_is_accessible(page, "newsletters-390")
