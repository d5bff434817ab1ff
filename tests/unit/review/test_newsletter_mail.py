"""The newsletter's .eml parses back with the standard library into a text and an HTML part;
every photo it shows resolves (a Content-ID to an attached image, a URL to a file of the
exported site); no `{{` remains; the headers make it ready to send."""

from __future__ import annotations

import email
import re
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from core.errors import ConfigError
from review.newsletter_mail import newsletter_sender
from tests.configs import parsed_settings
from tests.publishing_set import BASE_URL, Published, publish_set


def parse(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture(scope="module", params=["url", "cid"])
def published(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Published:
    return publish_set(tmp_path_factory.mktemp(f"mail-{request.param}"), images=request.param)


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_the_eml_parses_into_a_text_and_an_html_part(published: Published) -> None:
    message = parse(published.newsletter[0])
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    assert "Asukasillat verkossa ja kylätaloilla" in text and "<table" not in text
    assert "Asukasillat verkossa ja kylätaloilla" in html and "<table" in html
    assert message["Subject"] == "Avoimen hallinnon viesti – toukokuu 2025"
    assert message["From"] == "Avoin hallinto <avoinhallinto@vm.fi>"
    assert message["X-Unsent"] == "1" and message["Message-ID"].endswith("@vm.fi>")


def test_every_photo_in_the_html_resolves(published: Published) -> None:
    message = parse(published.newsletter[0])
    _text, html = parts(message)
    sources = re.findall(r'<img [^>]*src="([^"]+)"', html)
    assert len(sources) == 4
    attached = {
        str(part["Content-ID"]).strip("<>"): part.get_content()
        for part in message.walk()
        if part.get_content_maintype() == "image"
    }
    for source in sources:
        if source.startswith("cid:"):
            data = attached[source.removeprefix("cid:")]
            assert data[:2] == b"\xff\xd8"
        else:
            assert source.startswith(BASE_URL + "/")
            assert (published.site / source.removeprefix(BASE_URL + "/")).is_file()
    assert len(attached) == (4 if sources[0].startswith("cid:") else 0)


def test_the_html_alone_links_photos_by_url_whatever_the_mail_does(published: Published) -> None:
    html = published.newsletter[1].read_text(encoding="utf-8")
    sources = re.findall(r'<img [^>]*src="([^"]+)"', html)
    assert sources and all(source.startswith(BASE_URL + "/kuvat/") for source in sources)


def test_no_placeholder_remains_anywhere(published: Published) -> None:
    message = parse(published.newsletter[0])
    for content in (*parts(message), *(p.read_text("utf-8") for p in published.newsletter[1:])):
        assert "{{" not in content and "{%" not in content


def test_the_sender_comes_from_publishing_or_smtp_or_is_an_error_naming_the_key(
    tmp_path: Path,
) -> None:
    chosen = parsed_settings(tmp_path, publishing={"newsletter_from": "Uutiskirje <u@vm.fi>"})
    assert str(newsletter_sender(chosen)) == "Uutiskirje <u@vm.fi>"
    smtp = parsed_settings(
        tmp_path, smtp={"host": "smtp.example.fi", "from_address": "avoinhallinto@vm.fi"}
    )
    assert str(newsletter_sender(smtp)) == "Avoin hallinto <avoinhallinto@vm.fi>"
    with pytest.raises(ConfigError) as caught:
        newsletter_sender(parsed_settings(tmp_path))
    assert caught.value.key == "publishing.newsletter_from"
