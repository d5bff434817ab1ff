"""Every shipped template renders in every language it exists in, and an operator's file wins."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from core.vocabulary import MailKind
from practices.mailout.compose import compose, render
from practices.mailout.sender import retry_delay
from practices.mailout.templates import SHIPPED, TemplateProblem, Templates
from store.models import OutboxMail
from tests.configs import parsed_settings

ITEM = {
    "id": 7,
    "title": "Selkokieliset lomakkeet",
    "organisation": "Vaasan kaupunki",
    "received": "2.11.2026 klo 9.30",
    "flags": ["ei kuvaa"],
    "link": "https://toimitus.avoinhallinto.fi/drafts/7",
}
CONTEXTS: dict[str, dict[str, Any]] = {
    "acknowledgement": {
        "reference": "AH-2026-00007",
        "title": "Selkokieliset lomakkeet",
        "subject": "Hyvä käytäntö: selkokieli",
        "received_at": "2026-11-02T09:30:00+00:00",
        "in_reply_to": "abc@vm.fi",
        "references": ["abc@vm.fi"],
    },
    "published": {
        "reference": "AH-2026-00007",
        "title": "Selkokieliset lomakkeet",
        "url": "https://avoinhallinto.fi/kokemukset/7-selkokieliset-lomakkeet",
    },
    "digest": {
        "date": "3.11.2026",
        "new": [ITEM],
        "waiting": [ITEM],
        "waiting_days": 7,
        "console": "https://toimitus.avoinhallinto.fi",
    },
    "alert": {
        "state": "bad",
        "since": "2026-11-03T08:00:00+00:00",
        "at": "2026-11-03T08:00:00+00:00",
        "host": "inbox1",
        "problems": ["mailbox avoinhallinto: 5 failed cycles in a row"],
    },
}
SHIPPED_FILES = sorted(path.name for path in SHIPPED.glob("*.txt"))


def row(kind: str, language: str) -> OutboxMail:
    return OutboxMail(
        id=1,
        kind=kind,
        language=language,
        recipients=["maija.virtanen@vm.fi"],
        message_id="practice-inbox.acknowledgement.1@vm.fi",
        context=CONTEXTS[kind],
        created_at=datetime(2026, 11, 2, 9, 31, tzinfo=UTC),
    )


@pytest.mark.parametrize("name", SHIPPED_FILES)
def test_every_shipped_template_renders_a_subject_and_a_body(name: str) -> None:
    kind, language, _txt = name.split(".")
    text = render(row(kind, language), Templates())
    assert text.subject and "{" not in text.subject
    assert len(text.body.splitlines()) >= 4 and "{{" not in text.body


def test_answers_to_submitters_exist_in_finnish_swedish_and_english() -> None:
    for kind in (MailKind.ACKNOWLEDGEMENT, MailKind.PUBLISHED, MailKind.DIGEST):
        assert {f"{kind.value}.{lang}.txt" for lang in ("fi", "sv", "en")} <= set(SHIPPED_FILES)


def test_an_operators_template_replaces_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "acknowledgement.fi.txt").write_text(
        "Subject: Kiitos: {{ subject }}\n\nViite {{ reference }}.\n", encoding="utf-8"
    )
    text = render(row("acknowledgement", "fi"), Templates(str(tmp_path)))
    assert (text.subject, text.body) == (
        "Kiitos: Hyvä käytäntö: selkokieli",
        "Viite AH-2026-00007.\n",
    )


def test_a_template_naming_something_it_is_not_given_fails_loudly(tmp_path: Path) -> None:
    (tmp_path / "published.fi.txt").write_text("Subject: {{ titel }}\n\nx\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=re.escape("published.fi.txt: 'titel' is undefined")):
        render(row("published", "fi"), Templates(str(tmp_path)))


def test_a_template_without_a_subject_line_is_refused(tmp_path: Path) -> None:
    (tmp_path / "published.fi.txt").write_text("Hei!\n\nx\n", encoding="utf-8")
    with pytest.raises(TemplateProblem, match=re.escape("must begin with a 'Subject: ...' line")):
        render(row("published", "fi"), Templates(str(tmp_path)))


def test_an_acknowledgement_carries_the_headers_of_an_automatic_reply(tmp_path: Path) -> None:
    settings = parsed_settings(
        tmp_path,
        smtp={"host": "smtp.example.fi", "from_address": "avoinhallinto@vm.fi"},
    )
    mail = row("acknowledgement", "sv")
    raw = compose(mail, render(mail, Templates()), settings)
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii").split("\r\n")
    expected = [
        "Auto-Submitted: auto-replied",
        "X-Auto-Response-Suppress: All",
        "In-Reply-To: <abc@vm.fi>",
        "References: <abc@vm.fi>",
        "Message-ID: <practice-inbox.acknowledgement.1@vm.fi>",
        "Date: Mon, 02 Nov 2026 09:31:00 +0000",
        "X-Practices-Loop: acknowledgement AH-2026-00007",
        "Content-Language: sv",
    ]
    assert [line for line in expected if line not in head] == []
    assert raw == compose(mail, render(mail, Templates()), settings)  # the same mail each time


def test_the_wait_between_attempts_doubles_up_to_its_cap() -> None:
    waits = [retry_delay(n, 60, 3600).total_seconds() for n in range(1, 9)]
    assert waits == [60, 120, 240, 480, 960, 1920, 3600, 3600]
