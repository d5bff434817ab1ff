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
from tests.integration.harness import Installation
from tests.integration.mailrig import cli_json, mail_on, outbox_rows
from tests.mail import submission

pytestmark = pytest.mark.dovecot


def acknowledged_once(inst: Installation, server: SmtpServer) -> EmailMessage:
    """One submission polled and acknowledged; the acknowledgement as received."""
    inst.deliver(submission(subject="Selkokieliset lomakkeet"))
    assert inst.cli("poll") == 0
    assert inst.cli("outbox", "send") == 0
    [ack] = server.messages()
    message = EmailMessage()
    for name, value in ack.message.items():
        message[name] = value
    return message


def nothing_more_sent(inst: Installation, server: SmtpServer, before: int) -> None:
    assert inst.cli("outbox", "send") == 0
    assert len(server.messages()) == before
    assert len(outbox_rows(inst)) == before


def test_an_auto_responder_answering_our_acknowledgement_is_ignored_and_not_answered(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(inst, smtp_server)
    ack = acknowledged_once(inst, smtp_server)
    reply = EmailMessage()
    reply["From"] = "Maija Virtanen <maija.virtanen@vm.fi>"
    reply["To"] = "avoinhallinto@vm.fi"
    reply["Subject"] = f"Automaattinen vastaus: {ack['Subject']}"
    reply["Message-ID"] = make_msgid(domain="vm.fi")
    reply["In-Reply-To"] = ack["Message-ID"]
    reply["References"] = ack["Message-ID"]
    reply["Auto-Submitted"] = "auto-replied"
    reply["X-Auto-Response-Suppress"] = "All"
    reply.set_content("Olen lomalla 15.12. asti. Kiireellisissä asioissa ota yhteyttä...\n")
    inst.deliver(reply.as_bytes())
    assert inst.cli("poll") == 0
    [_submission, auto_reply] = cli_json(inst, "messages")
    assert auto_reply["outcome"] == "ignored"
    assert auto_reply["reason"].startswith("auto_reply: Auto-Submitted: auto-replied")
    nothing_more_sent(inst, smtp_server, 1)


def test_an_auto_responder_without_any_automatic_header_is_not_answered_either(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    """A naive responder that quotes our subject and sets only In-Reply-To becomes a draft
    (a person may be writing), but it answers our mail, so it gets no acknowledgement."""
    mail_on(inst, smtp_server)
    ack = acknowledged_once(inst, smtp_server)
    inst.deliver(submission(subject=f"Re: {ack['Subject']}", In_Reply_To=str(ack["Message-ID"])))
    assert inst.cli("poll") == 0
    shown = cli_json(inst, "review", "show", "2")
    assert shown["acknowledgement"]["decision"] == "answers_our_mail"
    nothing_more_sent(inst, smtp_server, 1)


def test_a_bounce_of_our_acknowledgement_is_ignored(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(inst, smtp_server)
    ack = acknowledged_once(inst, smtp_server)
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
    inst.deliver(bounce.as_bytes())
    assert inst.cli("poll") == 0
    [_submission, ignored] = cli_json(inst, "messages")
    assert ignored["outcome"] == "ignored"
    assert ignored["reason"].startswith("delivery_report")
    nothing_more_sent(inst, smtp_server, 1)


def test_a_mailing_list_message_becomes_a_draft_but_gets_no_acknowledgement(
    inst: Installation, smtp_server: SmtpServer
) -> None:
    mail_on(inst, smtp_server)
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
    mail_on(inst, smtp_server)
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
