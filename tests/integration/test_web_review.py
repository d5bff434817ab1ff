"""The editors' console in a real Chromium: finding, correcting, deciding, and every page
checked for sideways scrolling and serious accessibility violations at phone width."""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Page, expect

from tests.browser import DESKTOP, assert_page_fits_and_is_accessible
from tests.integration.webconsole import (
    OUTSIDER_TITLE,
    TWO_PHOTOS_TITLE,
    ConsoleServer,
    PageOpener,
)

SAVE = "button:has-text('Tallenna muutokset')"
APPROVE = "button:has-text('Hyväksy julkaistavaksi')"


def choose_theme_and_approve(page: Page, theme: str) -> None:
    """Approval needs a theme: choose it, save, and press approve."""
    page.select_option("#f-theme", theme)
    page.click(SAVE)
    page.click(APPROVE)


def test_the_root_leads_to_the_queue_of_drafts_newest_first(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.base + "/")
    expect(page).to_have_url(re.compile(r"/drafts$"))
    expect(page.locator("h1")).to_have_text("Lähetetyt käytännöt")
    dates = page.locator("table.queue tbody tr td:first-child").all_inner_texts()
    days = [tuple(int(part) for part in reversed(d.split("."))) for d in dates]
    assert days == sorted(days, reverse=True) and len(days) > 5


def test_a_search_for_a_base_form_finds_its_inflected_forms(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.base + "/drafts")
    page.fill("#q", "asukasilta")
    with page.expect_navigation():  # read the results page, not the queue it replaces
        page.click("button:has-text('Hae')")
    titles = page.locator("table.queue .title-cell").all_inner_texts()
    # "asukasiltojen" (Oulu's title) and "asukasiltojen sarjan" (the library's answer).
    assert any("Asukasiltojen" in title for title in titles), titles
    assert any(TWO_PHOTOS_TITLE in title for title in titles), titles
    assert len(titles) == 2, titles
    assert_page_fits_and_is_accessible(page, "queue-search-390")


def test_counts_by_status_and_filters_narrow_the_queue(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.base + "/drafts?status=&flag=sender_not_public_sector")
    titles = page.locator("table.queue .title-cell").all_inner_texts()
    assert titles == [OUTSIDER_TITLE]
    tab = page.locator(".tabs a", has_text="Kaikki")
    expect(tab.locator(".count")).to_have_text("1")


def test_edit_and_save_shows_the_whole_change_in_the_history(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.draft_url("Ristiriitakoe 1"))
    added = (
        "Seuraavaksi kokeilemme samaa mallia kolmessa muussa palvelussa ja kerromme tuloksista "
        "avoimen hallinnon verkostolle syksyllä."
    )
    page.fill("#f-next_steps", added)
    page.click(SAVE)
    expect(page.locator(".notice.ok")).to_have_text("Muutokset tallennettu.")
    expect(page.locator("#f-next_steps")).to_have_value(added)
    history = page.locator("#historia .event").first
    expect(history).to_contain_text("Muokkaus")
    expect(history).to_contain_text("toimittaja")
    expect(history.locator("ins")).to_contain_text("verkostolle syksyllä")
    assert added in history.inner_text().replace("\n", " ")
    assert_page_fits_and_is_accessible(page, "draft-after-save-390")


def test_two_editors_saving_the_same_draft_see_both_texts_and_lose_nothing(
    console_server: ConsoleServer,
    editor: BrowserContext,
    second_editor: BrowserContext,
    open_page: PageOpener,
) -> None:
    url = console_server.draft_url("Ristiriitakoe 2")
    first, second = open_page(editor, url), open_page(second_editor, url)
    first.fill("#f-title", "Ensimmäisen toimittajan otsikko")
    second.fill("#f-title", "Toisen toimittajan otsikko")
    second.fill("#f-achieved", "Toinen kirjoitti tämän tuloksen.")
    first.click(SAVE)
    expect(first.locator(".notice.ok")).to_be_visible()
    with second.expect_response(lambda r: r.url.endswith("/edit")) as answer:
        second.click(SAVE)
    assert answer.value.status == 409
    conflict = second.locator(".conflict")
    expect(conflict).to_contain_text("Ensimmäisen toimittajan otsikko")
    expect(conflict).to_contain_text("Toisen toimittajan otsikko")
    expect(second.locator("#f-title")).to_have_value("Toisen toimittajan otsikko")
    expect(second.locator("#f-achieved")).to_have_value("Toinen kirjoitti tämän tuloksen.")
    assert_page_fits_and_is_accessible(second, "draft-conflict-390")
    second.click(SAVE)
    expect(second.locator(".notice.ok")).to_have_text("Muutokset tallennettu.")
    expect(second.locator("h1")).to_have_text("Toisen toimittajan otsikko")


def test_a_blocking_flag_holds_approval_until_dismissed_with_a_reason(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.draft_url(OUTSIDER_TITLE))
    choose_theme_and_approve(page, "participation")
    expect(page.locator(".notice.error")).to_contain_text("ei voi hyväksyä")
    flag = page.locator(".flag-blocking", has_text="julkishallinnosta")
    flag.locator("summary").click()
    flag.locator("input[name=reason]").fill("Yhdistys toimii kaupungin kumppanina, tarkistettu.")
    flag.locator("button:has-text('Kuittaa huomio')").click()
    expect(page.locator(".notice.ok")).to_have_text("Huomio kuitattu.")
    expect(page.locator(".dismissed")).to_contain_text("toimittaja")
    page.click(APPROVE)
    expect(page.locator(".notice.ok")).to_have_text("Käytäntö hyväksytty julkaistavaksi.")


def test_approve_reject_and_reopen_change_the_status_and_the_history(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.draft_url("Ristiriitakoe 3"))
    choose_theme_and_approve(page, "open_data")
    expect(page.locator(".draft-head .status")).to_have_text("Hyväksytty")
    page.click("button:has-text('Palauta tarkastettavaksi')")
    expect(page.locator(".draft-head .status")).to_have_text("Luonnos")
    page.locator(".reject summary").click()
    page.fill("#reject-reason", "Tiedote, ei kokemus")
    page.click("button:has-text('Hylkää käytäntö')")
    expect(page.locator(".draft-head .status")).to_have_text("Hylätty")
    actions = page.locator("#historia .event-head strong").all_inner_texts()
    assert actions[:4] == ["Hylkäys", "Palautus tarkastettavaksi", "Hyväksyntä", "Teeman valinta"]


def test_an_approved_practice_is_corrected_in_place_and_previewed_as_published(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.draft_url(OUTSIDER_TITLE))
    expect(page.locator(".draft-head .status")).to_have_text("Hyväksytty")
    page.fill("#f-title", "Yhdistyksen kokemus asukastoiveista")
    page.click(SAVE)
    expect(page.locator(".draft-head .status")).to_have_text("Hyväksytty")
    expect(page.locator("#historia .event").first).to_contain_text("korjaus hyväksyttyyn")
    page.click("a:has-text('Esikatsele')")
    frame = page.frame_locator("iframe.preview-frame")
    expect(frame.locator("h1")).to_have_text("Yhdistyksen kokemus asukastoiveista")
    expect(frame.locator("h2").first).to_have_text("Mitä tehtiin ja miksi?")
    # The export's own stylesheet, served by the console: the questions in the site's blue.
    expect(frame.locator("h2").first).to_have_css("color", "rgb(0, 52, 121)")
    assert frame.locator("script").count() == 0
    assert_page_fits_and_is_accessible(page, "preview-390")


def test_choosing_another_main_photo_moves_the_mark_and_keeps_alt_text(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.draft_url(TWO_PHOTOS_TITLE))
    cards = page.locator(".photo-card")
    expect(cards).to_have_count(2)
    other = page.locator(".photo-card:not(.is-main)")
    other.locator("input[type=radio]").check()
    page.click("button:has-text('Tallenna pääkuvan valinta')")
    expect(page.locator(".notice.ok")).to_have_text("Pääkuva vaihdettu.")
    main = page.locator(".photo-card.is-main")
    main.locator("input[name=alt_text]").fill("Yleisö kirjaston salissa")
    main.locator("input[name=credit]").fill("Liisa Lukija")
    main.locator("button:has-text('Tallenna kuvan tekstit')").click()
    expect(page.locator(".photo-card.is-main img")).to_have_attribute(
        "alt", "Yleisö kirjaston salissa"
    )
    natural = page.locator(".photo-card.is-main img").evaluate("img => img.naturalWidth")
    assert natural > 0


def test_every_page_fits_a_phone_and_has_no_serious_accessibility_violation(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, "about:blank")
    for path in ("/drafts", "/drafts?status=approved", "/drafts?q=ei-tätä-sanaa", "/drafts/4"):
        page.goto(console_server.base + path)
        assert_page_fits_and_is_accessible(page, f"page{path}-390")
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(console_server.base + "/drafts/4")
    assert_page_fits_and_is_accessible(page, "draft-320")
    page.set_viewport_size(DESKTOP)
    for path in ("/drafts", "/drafts/4"):
        page.goto(console_server.base + path)
        assert_page_fits_and_is_accessible(page, f"page{path}-1280")


def test_the_keyboard_reaches_the_search_and_focus_is_visible(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.base + "/drafts")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "q":
            break
    expect(page.locator("#q")).to_be_focused()
    outline = page.locator("#q").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"


def test_the_preview_shows_the_main_photo_as_the_site_will(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.draft_url(TWO_PHOTOS_TITLE) + "/preview")
    photo = page.frame_locator("iframe.preview-frame").locator("figure img")
    expect(photo).to_have_count(1)
    photo.evaluate("image => image.decode()")
    assert photo.evaluate("image => image.naturalWidth") > 0
    assert photo.get_attribute("alt")
