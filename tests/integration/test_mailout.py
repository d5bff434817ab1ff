"""Acknowledgements, notices and copies through a real SMTP server (STARTTLS, AUTH) and Dovecot.

Each test appends mail to Dovecot, polls, sends the outbox with `practices outbox send` (what
the daemon's sender does after each commit) and reads what the SMTP server received.
"""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest

from devserver.smtp import Received, SmtpServer
from store.models import OutboxMail
from tests.integration.harness import Installation
from tests.integration.mailrig import body, cli_json, cli_text, mail_on
from tests.mail import submission

pytestmark = pytest.mark.dovecot

SWEDISH = (
    "Hej,\n\nVad gjordes och varför?\nVi förnyade stadens blanketter på klarspråk, eftersom "
    "invånarna inte förstod dem och det var svårt att få hjälp.\n\nVad åstadkoms?\n"
    "Samtalen till kundtjänsten minskade med hälften.\n\nHur går vi vidare?\nNästa år "
    "förnyar vi också anvisningarna.\n\nMer information\nAnna Berg, anna.berg@vasa.fi\n"
)
ENGLISH = (
    "Hello,\n\nWhat was done and why?\nWe rewrote the permit forms in plain language, because "
    "the residents could not understand them and it was hard for them to get help.\n\n"
    "What was achieved?\nThe calls to the help desk were halved.\n\nWhat next?\nNext we "
    "will rewrite the guidance as well.\n\nMore information\nJohn Smith, john.smith@hel.fi\n"
)


def subject_of(mail: Received) -> str:
    return str(make_header(decode_header(str(mail.message["Subject"]))))


def test_a_submission_gets_one_acknowledgement_in_its_language_with_the_rfc_3834_headers(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(inst, smtp_server)
    inst.deliver(submission(subject="Selkokieliset lomakkeet"))
    inst.deliver(submission(subject="Klarspråk", body=SWEDISH, sender="anna.berg@vasa.fi"))
    inst.deliver(submission(subject="Plain forms", body=ENGLISH, sender="john.smith@hel.fi"))
    assert inst.cli("poll") == 0
    assert inst.cli("outbox", "send") == 0
    received = {mail.rcpt_tos[0]: mail for mail in smtp_server.messages()}
    assert sorted(received) == ["anna.berg@vasa.fi", "john.smith@hel.fi", "maija.virtanen@vm.fi"]
    assert smtp_server.logins == ["avoinhallinto"]  # one connection, logged in, for all three

    finnish = received["maija.virtanen@vm.fi"]
    shown = cli_json(inst, "review", "show", "1")
    original = shown["message"]["message_id"]
    headers = finnish.message
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["In-Reply-To"] == f"<{original}>"
    assert f"<{original}>" in headers["References"]
    assert subject_of(finnish) == "Vastaanotettu: Selkokieliset lomakkeet"
    assert headers["Content-Language"] == "fi"
    assert headers["Message-ID"] == f"<{shown['acknowledgement']['message_id']}>"
    reference = shown["acknowledgement"]["reference"]
    assert f"Viitenumero: {reference}" in body(finnish)
    assert "toimituksen käsiteltävänä" in body(finnish)
    assert shown["acknowledgement"]["status"] == "sent"

    assert subject_of(received["anna.berg@vasa.fi"]) == "Mottaget: Klarspråk"
    assert "Referensnummer: AH-" in body(received["anna.berg@vasa.fi"])
    assert subject_of(received["john.smith@hel.fi"]) == "Received: Plain forms"
    assert "Reference number: AH-" in body(received["john.smith@hel.fi"])

    code, text = cli_text(inst, "review", "show", "1")
    assert code == 0
    assert f"Viitenumero: {reference}" in text
    assert "Tila: lähetetty" in text and "maija.virtanen@vm.fi" in text


def test_a_permanent_refusal_is_recorded_shown_by_outbox_and_retried_by_hand(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(inst, smtp_server)
    smtp_server.faults.refuse["maija.virtanen@vm.fi"] = "550 5.1.1 <maija.virtanen@vm.fi>: no"
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    assert inst.cli("outbox", "send") == 1
    [mail] = cli_json(inst, "outbox")
    assert (mail["status"], mail["kind"]) == ("failed", "acknowledgement")
    assert "550 5.1.1" in mail["last_error"]
    assert smtp_server.messages() == []
    code, listing = cli_text(inst, "outbox")
    assert code == 0 and "failed 1" in listing and "550 5.1.1" in listing

    del smtp_server.faults.refuse["maija.virtanen@vm.fi"]
    assert inst.cli("outbox", "retry", str(mail["id"])) == 0
    assert inst.cli("outbox", "send") == 0
    assert [m.message_id for m in smtp_server.messages()] == [f"<{mail['message_id']}>"]


def test_a_temporary_refusal_waits_with_backoff_and_keeps_its_message_id(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(inst, smtp_server, outbox={"first_retry_seconds": 600})
    smtp_server.faults.defer["maija.virtanen@vm.fi"] = "451 4.3.0 try again later"
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    assert inst.cli("outbox", "send") == 1
    [waiting] = inst.rows(OutboxMail)
    assert (waiting.status, waiting.attempts) == ("queued", 1)
    assert (waiting.next_attempt_at - waiting.updated_at).total_seconds() > 500
    del smtp_server.faults.defer["maija.virtanen@vm.fi"]
    assert inst.cli("outbox", "send") == 0  # not due yet: nothing sent
    assert smtp_server.messages() == []
    assert inst.cli("outbox", "retry", str(waiting.id)) == 0
    assert inst.cli("outbox", "send") == 0
    assert [m.message_id for m in smtp_server.messages()] == [f"<{waiting.message_id}>"]


def test_the_published_notice_links_the_page_and_goes_once(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(
        inst,
        smtp_server,
        publishing={"base_url": "https://avoinhallinto.fi/kokemukset", "notify_submitter": True},
    )
    inst.deliver(submission(subject="Selkokieliset lomakkeet"))
    assert inst.cli("poll") == 0
    assert inst.cli("review", "theme", "1", "open_data") == 0
    assert inst.cli("review", "approve", "1", "--force") == 0
    assert inst.cli("review", "reopen", "1") == 0
    assert inst.cli("review", "approve", "1", "--force") == 0
    assert inst.cli("outbox", "send") == 0
    kinds = [row.kind for row in inst.rows(OutboxMail)]
    assert kinds == ["acknowledgement", "published"]
    notice = smtp_server.messages()[-1]
    assert subject_of(notice).startswith("Julkaistu: ")
    assert "https://avoinhallinto.fi/kokemukset/1-" in body(notice)


def test_answers_are_copied_to_the_sent_folder(inst: Installation, smtp_server: SmtpServer) -> None:
    mail_on(inst, smtp_server, mailbox={"sent_folder": "Lähetetyt"})
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    assert inst.cli("outbox", "send") == 0
    [row] = inst.rows(OutboxMail)
    assert row.copied
    client = inst.server.client(inst.user)
    try:
        client.select_folder("Lähetetyt", readonly=True)
        fetched = client.fetch(client.search(["ALL"]), ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]"])
    finally:
        client.logout()
    [headers] = [data[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"] for data in fetched.values()]
    assert row.message_id.encode() in headers
    assert inst.cli("poll") == 0  # the copy is in no watched folder: nothing comes back


def test_check_config_connect_logs_in_to_imap_and_smtp_without_sending(
    inst: Installation,
    smtp_server: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    mail_on(inst, smtp_server)
    code, out = cli_text(inst, "check-config", "--connect")
    assert code == 0, out
    assert "# ok: [smtp] 127.0.0.1:" in out and "logged in as 'avoinhallinto'" in out
    assert "# ok: mailbox avoinhallinto at " in out
    assert smtp_server.messages() == []
    monkeypatch.setenv("PRACTICES_TEST_SMTP_PASSWORD", "wrong")
    capsys.readouterr()
    code, out = cli_text(inst, "check-config", "--connect")
    assert code == 1
    assert "refused the login of 'avoinhallinto'" in capsys.readouterr().err
