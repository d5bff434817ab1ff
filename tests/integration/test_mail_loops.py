"""Never a mail loop: robots that answer us are ingested, ignored and answered by nothing.

Each test plays one robot against the real servers: Dovecot for what arrives, the SMTP server
for what we send. "Answered by nothing" is checked twice: no row in the outbox, and no mail at
the SMTP server after the outbox is sent.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from devserver.smtp import SmtpServer
from store.models import OutboxMail
from tests.integration.harness import Installation
from tests.integration.mailrig import cli_json, mail_on
from tests.mail import submission

pytestmark = pytest.mark.dovecot


@pytest.fixture(autouse=True)
def _mail_through_the_smtp_server(inst: Installation, smtp_server: SmtpServer) -> None:
    mail_on(inst, smtp_server)


@pytest.fixture
def ack(inst: Installation, smtp_server: SmtpServer) -> EmailMessage:
    """One submission polled and acknowledged; the acknowledgement as received."""
    inst.deliver(submission(subject="Selkokieliset lomakkeet"))
    assert inst.cli("poll") == 0
    assert inst.cli("outbox", "send") == 0
    [received] = smtp_server.messages()
    message = EmailMessage()
    for name, value in received.message.items():
        message[name] = value
    return message


def nothing_more_sent(inst: Installation, server: SmtpServer, before: int) -> None:
    assert inst.cli("outbox", "send") == 0
    assert len(server.messages()) == before
    assert len(inst.rows(OutboxMail)) == before


def ignored_and_not_answered(inst: Installation, server: SmtpServer, raw: bytes) -> str:
    """`raw` arrives after the one acknowledgement: it is recorded as ignored, nothing answers
    it; returns the reason it was ignored for."""
    inst.deliver(raw)
    assert inst.cli("poll") == 0
    [_submission, robot] = cli_json(inst, "messages")
    assert robot["outcome"] == "ignored"
    nothing_more_sent(inst, server, 1)
    return str(robot["reason"])


def test_an_auto_responder_answering_our_acknowledgement_is_ignored_and_not_answered(
    inst: Installation, smtp_server: SmtpServer, ack: EmailMessage
) -> None:
    reply = submission(
        subject=f"Automaattinen vastaus: {ack['Subject']}",
        body="Olen lomalla 15.12. asti. Kiireellisissä asioissa ota yhteyttä...\n",
        In_Reply_To=str(ack["Message-ID"]),
        References=str(ack["Message-ID"]),
        Auto_Submitted="auto-replied",
        X_Auto_Response_Suppress="All",
    )
    reason = ignored_and_not_answered(inst, smtp_server, reply)
    assert reason.startswith("auto_reply: Auto-Submitted: auto-replied")


def test_an_auto_responder_without_any_automatic_header_is_not_answered_either(
    inst: Installation, smtp_server: SmtpServer, ack: EmailMessage
) -> None:
    """A naive responder that quotes our subject and sets only In-Reply-To becomes a draft
    (a person may be writing), but it answers our mail, so it gets no acknowledgement."""
    inst.deliver(submission(subject=f"Re: {ack['Subject']}", In_Reply_To=str(ack["Message-ID"])))
    assert inst.cli("poll") == 0
    shown = cli_json(inst, "review", "show", "2")
    assert shown["acknowledgement"]["decision"] == "answers_our_mail"
    nothing_more_sent(inst, smtp_server, 1)


def test_a_bounce_of_our_acknowledgement_is_ignored(
    inst: Installation, smtp_server: SmtpServer, ack: EmailMessage
) -> None:
    bounce = EmailMessage()
    bounce["Return-Path"] = "<>"
    bounce["From"] = "Mail Delivery System <MAILER-DAEMON@mail.vm.fi>"
    bounce["To"] = "avoinhallinto@vm.fi"
    bounce["Subject"] = "Undelivered Mail Returned to Sender"
    bounce["Message-ID"] = make_msgid(domain="mail.vm.fi")
    bounce["Auto-Submitted"] = "auto-replied"
    bounce.set_content("This is the mail system at host mail.vm.fi. I'm sorry to have to...\n")
    report = EmailMessage()
    report.set_content(
        f"Reporting-MTA: dns; mail.vm.fi\n\nFinal-Recipient: rfc822; maija@vm.fi\n"
        f"Action: failed\nStatus: 5.1.1\n\nOriginal-Message-ID: {ack['Message-ID']}\n"
    )
    bounce.add_attachment(report.get_content(), subtype="delivery-status")
    bounce.replace_header("Content-Type", "multipart/report; report-type=delivery-status")
    reason = ignored_and_not_answered(inst, smtp_server, bounce.as_bytes())
    assert reason.startswith("delivery_report")


def test_a_mailing_list_message_becomes_a_draft_but_gets_no_acknowledgement(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    inst.deliver(
        submission(
            subject="[kuntaverkosto] Hyvä käytäntö: avoimet kokoukset",
            List_Id="Kuntaverkosto <kuntaverkosto.lists.kuntaliitto.fi>",
            List_Unsubscribe="<mailto:leave-kuntaverkosto@lists.kuntaliitto.fi>",
        )
    )
    assert inst.cli("poll") == 0
    shown = cli_json(inst, "review", "show", "1")
    assert shown["acknowledgement"]["decision"] == "mailing_list"
    assert "List-Id: Kuntaverkosto" in shown["acknowledgement"]["detail"]
    assert shown["acknowledgement"]["reply_address"] == ""
    nothing_more_sent(inst, smtp_server, 0)


def test_ten_submissions_from_one_sender_in_a_day_get_one_acknowledgement(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    for n in range(5):
        inst.deliver(submission(subject=f"Käytäntö {n}", body=f"Mitä tehtiin ja miksi?\n{n}\n"))
    assert inst.cli("poll") == 0  # five in one batch transaction
    for n in range(5, 10):
        inst.deliver(submission(subject=f"Käytäntö {n}", body=f"Mitä tehtiin ja miksi?\n{n}\n"))
        assert inst.cli("poll") == 0  # and five in five more
    assert inst.cli("outbox", "send") == 0
    assert [mail.rcpt_tos for mail in smtp_server.messages()] == [("maija.virtanen@vm.fi",)]
    decisions = [cli_json(inst, "review", "show", str(n))["acknowledgement"] for n in range(1, 11)]
    assert decisions[0]["decision"] == "queued"
    assert {d["decision"] for d in decisions[1:]} == {"daily_limit"}
