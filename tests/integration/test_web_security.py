"""The console's defences in a real Chromium: logins and their end, throttling, CSRF, headers,
and a submission full of script probes that never runs anything."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from tests.browser import PHONE, assert_page_fits_and_is_accessible
from tests.integration.webconsole import (
    EDITOR,
    LOCKABLE,
    PASSWORD,
    XSS_TITLE,
    ConsoleServer,
    PageOpener,
    log_in,
)


def test_login_leads_to_the_queue_and_logout_ends_the_session_on_the_server(
    browser: Browser, console_server: ConsoleServer
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(console_server.base + "/drafts/1")
    expect(page).to_have_url(re.compile(r"/login\?next=/drafts/1$"))
    assert_page_fits_and_is_accessible(page, "login-390")
    page.fill("input[name=username]", EDITOR)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Kirjaudu')")
    expect(page).to_have_url(re.compile(r"/drafts/1$"))
    cookie = next(c for c in context.cookies() if c["name"] == "practices_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.click("button:has-text('Kirjaudu ulos')")
    expect(page.locator(".notice.ok")).to_have_text("Olet kirjautunut ulos.")
    # The old cookie, replayed, opens nothing: the session row is gone.
    stale = browser.new_context()
    stale.add_cookies(
        [{"name": cookie["name"], "value": cookie["value"], "url": console_server.base}]
    )
    answer = stale.request.get(console_server.base + "/drafts", max_redirects=0)
    assert answer.status == 303 and "/login" in answer.headers["location"]
    stale.close()
    context.close()


def test_a_wrong_password_is_refused_and_repeated_failures_lock_the_account_for_a_while(
    browser: Browser, console_server: ConsoleServer
) -> None:
    page = browser.new_page(viewport=PHONE)
    for _ in range(5):
        log_in(page, console_server.base, LOCKABLE, "väärä-salasana")
        expect(page.locator(".notice.error")).to_have_text("Käyttäjätunnus tai salasana on väärin.")
        expect(page.locator("input[name=username]")).to_have_value(LOCKABLE)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        log_in(page, console_server.base, LOCKABLE, PASSWORD)
    assert answer.value.status == 429
    expect(page.locator(".notice.error")).to_contain_text("Liian monta")
    assert "/login" in page.url
    page.close()


def test_a_post_without_the_csrf_token_is_refused_with_403_and_changes_nothing(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    draft = console_server.draft_url("Selkokieliset")
    without = editor.request.post(draft + "/reject", form={"reason": "ei", "version": "1"})
    wrong = editor.request.post(draft + "/reject", form={"reason": "ei", "csrf_token": "arvaus"})
    assert (without.status, wrong.status) == (403, 403)
    assert "Lomake vanhentui" in without.text()
    login = editor.request.post(
        console_server.base + "/login", form={"username": EDITOR, "password": PASSWORD}
    )
    assert login.status == 403
    page = open_page(editor, draft)
    expect(page.locator(".draft-head .status")).to_have_text("Luonnos")


def test_every_response_carries_a_strict_csp_and_the_other_protective_headers(
    console_server: ConsoleServer, editor: BrowserContext
) -> None:
    for path in ("/login", "/drafts", "/drafts/1", "/static/console.css"):
        headers = editor.request.get(console_server.base + path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp, path
        assert headers["x-content-type-options"] == "nosniff", path
        assert headers["x-frame-options"] == "DENY", path


def _watch_dialogs(page: Page) -> list[str]:
    fired: list[str] = []

    def record(dialog: Dialog) -> None:
        fired.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    return fired


def test_script_probes_in_every_field_a_sender_controls_never_run(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    draft = console_server.draft_url(XSS_TITLE)
    page = open_page(editor, "about:blank")  # the dialogs are watched before anything loads
    fired = _watch_dialogs(page)
    answer = page.goto(f"{console_server.base}/drafts?status=&q=kokoukset")
    assert answer is not None and "content-security-policy" in answer.headers
    expect(page.locator(".title-cell", has_text=XSS_TITLE)).to_contain_text("<script>")
    answer = page.goto(draft)
    assert answer is not None and "content-security-policy" in answer.headers
    page.locator(".original-html-box summary").click()
    html = page.locator(".original-html")
    expect(html).to_contain_text("Avasimme kokoukset verkkoon.")
    assert html.locator("script, img, iframe, style, form, svg, [onclick], [onload]").count() == 0
    hrefs = html.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert all(not (h or "").lower().startswith("javascript") for h in hrefs), hrefs
    expect(page.locator(".original .facts")).to_contain_text("<script>")
    attachment = page.locator(".attachments a").first
    expect(attachment).to_contain_text("onerror")
    with page.expect_download() as download:
        attachment.click()
    assert download.value.suggested_filename.endswith(".txt")
    page.goto(draft + "/preview")
    page.wait_for_timeout(300)
    assert fired == []
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0


def test_an_attachment_is_only_ever_sent_as_a_download(
    console_server: ConsoleServer, editor: BrowserContext, open_page: PageOpener
) -> None:
    page = open_page(editor, console_server.draft_url(XSS_TITLE))
    href = page.locator(".attachments a").first.get_attribute("href")
    assert href is not None
    answer = editor.request.get(console_server.base + href)
    assert answer.headers["content-type"] == "application/octet-stream"
    assert answer.headers["content-disposition"].startswith("attachment;")
    # The name's quotes are replaced, so it cannot end the parameter early.
    assert answer.headers["content-disposition"].count('"') == 2
