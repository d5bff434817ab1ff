"""A running editors' console for browser tests: real submissions imported into SQLite, two
editor accounts, and `practices web` as its own process on a loopback port.

One console per test module (`console_server` is module-scoped), and one logged-in browser
context per editor (`editor`, `second_editor`), so tests share logins instead of paying for an
argon2 check and a page load each time. Submissions are built here in code: the devserver's
realistic samples, a draft with two photos, one from outside the public sector (a blocking flag)
and one full of script and event-handler probes in every field a sender controls.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response
from sqlalchemy import select

from core.config import load_settings
from devserver.samples import photo_jpeg, sample_submissions
from practices.cli import main
from review import accounts
from store.app import open_app
from store.models import PracticeDraft
from tests.browser import PHONE
from tests.configs import write_config

REPO = Path(__file__).resolve().parents[2]
EDITOR, SECOND, LOCKABLE = "toimittaja", "toinen", "lukittava"
PASSWORD = "oikea-salasana-1"
XSS_TITLE = "Skriptikoe"
TWO_PHOTOS_TITLE = "Kaksi kuvaa kirjastosta"
OUTSIDER_TITLE = "Yhdistyksen kokemus"

XSS_SCRIPT = '<script>alert("xss")</script>'
XSS_IMG = '<img src=x onerror=alert("img")>'
XSS_LINK = '<a href="javascript:alert(1)">linkki</a>'


def _message(subject: str, sender: str, body: str, when: datetime) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "avoinhallinto@vm.fi"
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(domain="test.fi")
    message.set_content(body)
    return message


def _answers(what: str, achieved: str = "Hyvä tulos.", next_steps: str = "Jatkamme.") -> str:
    return (
        f"Hei,\n\nMitä tehtiin ja miksi?\n{what}\n\nMitä saatiin aikaiseksi?\n{achieved}\n\n"
        f"Mitä jatkossa?\n{next_steps}\n\nLisätietoa\nMaija Virtanen\n"
    )


def probe_message() -> bytes:
    """Script and handler probes in the subject, sender name, text, HTML part and a file name."""
    text = _answers(
        f"{XSS_SCRIPT} Avasimme kokoukset verkkoon. {XSS_IMG} javascript:alert(2)",
        f"Osallistujia oli paljon. {XSS_LINK}",
    )
    message = _message(
        f"{XSS_TITLE} {XSS_SCRIPT}{XSS_IMG}",
        f'"{XSS_SCRIPT} Hakkeri" <koe@tampere.fi>',
        text,
        datetime(2026, 5, 4, 9, 0, tzinfo=UTC),
    )
    message.add_alternative(
        "<html><body onload=\"alert('onload')\"><p onclick=\"alert('p')\">Mitä tehtiin ja miksi?"
        f"</p><p>Avasimme kokoukset verkkoon.</p>{XSS_SCRIPT}"
        '<img src="http://example.invalid/seuranta.png" onerror="alert(\'remote\')">'
        f'{XSS_LINK}<iframe src="javascript:alert(4)"></iframe>'
        '<style>body{display:none}</style><form action="http://example.invalid">'
        '<input name="x"></form><svg onload="alert(5)"></svg></body></html>',
        subtype="html",
    )
    message.add_attachment(
        b"tiedosto", maintype="text", subtype="plain", filename=f"{XSS_IMG}{XSS_SCRIPT}.txt"
    )
    return message.as_bytes()


def two_photos_message() -> bytes:
    message = _message(
        TWO_PHOTOS_TITLE,
        "Liisa Lukija <liisa.lukija@kirjasto.fi>",
        _answers("Kirjasto avasi asukasiltojen sarjan. Illoissa kerrottiin budjetista."),
        datetime(2026, 5, 5, 9, 0, tzinfo=UTC),
    )
    message.add_attachment(
        photo_jpeg(1600, 1200), maintype="image", subtype="jpeg", filename="sali.jpg"
    )
    message.add_attachment(
        photo_jpeg(1200, 1600), maintype="image", subtype="jpeg", filename="lava.jpg"
    )
    return message.as_bytes()


def outsider_message() -> bytes:
    return _message(
        OUTSIDER_TITLE,
        "Pekka Yhdistys <pekka@example.com>",
        _answers("Yhdistys kokosi asukkaiden toiveet yhteen."),
        datetime(2026, 5, 6, 9, 0, tzinfo=UTC),
    ).as_bytes()


def simple_message(title: str, day: int) -> bytes:
    return _message(
        title,
        "Maija Virtanen <maija.virtanen@vm.fi>",
        _answers(
            f"{title}: uudistimme palvelun selkokieliseksi, koska asiakkaat eivät ymmärtäneet."
        ),
        datetime(2026, 5, day, 9, 0, tzinfo=UTC),
    ).as_bytes()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ConsoleServer:
    """A console running on `base` over the database of `config`."""

    base: str
    config: Path
    process: subprocess.Popen[bytes]

    def draft_id(self, title_start: str) -> int:
        """The id of the draft whose title starts with `title_start`."""
        app = open_app(load_settings(self.config))
        try:
            with app.readers() as session:
                found = session.scalars(
                    select(PracticeDraft.id).where(PracticeDraft.title.startswith(title_start))
                ).first()
        finally:
            app.close()
        assert found is not None, f"no draft titled {title_start!r}"
        return int(found)

    def draft_url(self, title_start: str) -> str:
        """The console page of the draft whose title starts with `title_start`."""
        return f"{self.base}/drafts/{self.draft_id(title_start)}"


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"practices web exited: {process.stderr and process.stderr.read()!r}"
            )
        try:
            with urllib.request.urlopen(base + "/login", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("practices web did not answer within 30 s")


@pytest.fixture(scope="module")
def console_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    """Submissions imported into a fresh SQLite store, accounts added, the console started."""
    base_dir = tmp_path_factory.mktemp("console")
    port = free_port()
    config = write_config(
        base_dir / "practices.toml",
        storage={"fsync": False},
        senders={"public_domains": ["*.fi"]},
        processing={"workers": 1},
        web={"bind": f"127.0.0.1:{port}", "secure_cookies": False},
        publishing={
            "base_url": "https://avoinhallinto.example/kokemukset",
            "newsletter_from": "Avoin hallinto <avoinhallinto@vm.fi>",
        },
    )
    inbox = base_dir / "saapuneet"
    inbox.mkdir()
    messages = [
        *sample_submissions(),
        probe_message(),
        two_photos_message(),
        outsider_message(),
        *(simple_message(f"Ristiriitakoe {n}", 10 + n) for n in range(1, 4)),
    ]
    for number, raw in enumerate(messages):
        (inbox / f"{number:03}.eml").write_bytes(raw)
    assert main(["--config", str(config), "db", "upgrade"]) == 0
    assert main(["--config", str(config), "import", str(inbox)]) == 0
    app = open_app(load_settings(config))
    with app.sessions.begin() as session:
        for name in (EDITOR, SECOND, LOCKABLE):
            accounts.add_account(session, name, PASSWORD)
    app.close()
    process = subprocess.Popen(
        [sys.executable, "-m", "practices", "--config", str(config), "web"],
        cwd=REPO,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield ConsoleServer(base, config, process)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr is not None:
            process.stderr.close()


def log_in(page: Page, base: str, name: str, password: str = PASSWORD) -> Response | None:
    """Fill and send the login form as an editor would."""
    page.goto(base + "/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit]:has-text('Kirjaudu')")
    return None


def _context(browser: Browser, server: ConsoleServer, name: str) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    log_in(page, server.base, name)
    assert "/drafts" in page.url, page.url
    page.close()
    try:
        yield context
    finally:
        context.close()


@pytest.fixture(scope="module")
def editor(browser: Browser, console_server: ConsoleServer) -> Iterator[BrowserContext]:
    """A browser context logged in as the first editor."""
    yield from _context(browser, console_server, EDITOR)


@pytest.fixture(scope="module")
def second_editor(browser: Browser, console_server: ConsoleServer) -> Iterator[BrowserContext]:
    """A browser context logged in as the second editor."""
    yield from _context(browser, console_server, SECOND)


PageOpener = Callable[[BrowserContext, str], Page]


@pytest.fixture
def open_page() -> Iterator[PageOpener]:
    """Opens a page at a URL in a logged-in context; every page it opened is closed when the
    test ends, failed or not, so a failing test leaves nothing open in the shared contexts."""
    opened: list[Page] = []

    def open_one(context: BrowserContext, url: str) -> Page:
        page = context.new_page()
        opened.append(page)
        page.goto(url)
        return page

    yield open_one
    for page in opened:
        page.close()
