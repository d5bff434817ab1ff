"""Classification of non-submissions: auto-replies, delivery reports, own mail; the rest passes."""

from __future__ import annotations

import pytest

from core.vocabulary import IgnoreReason
from ingest.message import ParsedMessage
from ingest.understand.classify import classify

OWN = ("avoinhallinto@vm.fi",)


def message(
    subject: str = "Hyvä käytäntö: Asukasraati",
    from_address: str = "maija.virtanen@kuopio.fi",
    content_type: str = "text/plain",
    headers: tuple[tuple[str, str], ...] = (),
) -> ParsedMessage:
    return ParsedMessage(
        message_id="<1@kuopio.fi>",
        subject=subject,
        from_name="Maija Virtanen",
        from_address=from_address,
        date=None,
        content_type=content_type,
        headers=(("Subject", subject), ("From", from_address), *headers),
        text_plain="Mitä tehtiin ja miksi?\nPerustimme asukasraadin.",
        text_html="",
    )


def test_normal_submission_passes() -> None:
    assert classify(message(), OWN) is None


@pytest.mark.parametrize("value", ["auto-replied", "auto-generated", "Auto-Replied; owner=x"])
def test_auto_submitted_header_is_an_auto_reply(value: str) -> None:
    result = classify(message(headers=(("Auto-Submitted", value),)), OWN)
    assert result is not None
    assert result.reason is IgnoreReason.AUTO_REPLY
    assert result.detail == f"Auto-Submitted: {value}"


def test_auto_submitted_no_is_not_an_auto_reply() -> None:
    assert classify(message(headers=(("Auto-Submitted", "no"),)), OWN) is None


@pytest.mark.parametrize(("name", "value"), [("X-Autoreply", "yes"), ("X-Autorespond", "1")])
def test_autoreply_headers(name: str, value: str) -> None:
    result = classify(message(headers=((name, value),)), OWN)
    assert result is not None
    assert result.reason is IgnoreReason.AUTO_REPLY
    assert result.detail == f"{name}: {value}"


@pytest.mark.parametrize("value", ["auto_reply", "bulk", "Junk"])
def test_precedence_auto_reply_bulk_junk(value: str) -> None:
    result = classify(message(headers=(("Precedence", value),)), OWN)
    assert result is not None
    assert result.reason is IgnoreReason.AUTO_REPLY


def test_precedence_list_is_kept_as_submission() -> None:
    assert classify(message(headers=(("Precedence", "list"),)), OWN) is None


@pytest.mark.parametrize(
    "subject",
    [
        "Automaattinen vastaus: Kerro hyvä käytäntösi",
        "Poissaoloilmoitus",
        "Olen poissa 1.-15.7.",
        "Lomalla",
        "Autosvar: Berätta om ett gott exempel",
        "Frånvaro",
        "Automatiskt svar: Hej",
        "Automatic reply: Share your good practice",
        "AUTO REPLY",
        "Out of Office: Re: practice",
        "I am out of the office",
    ],
)
def test_auto_reply_subjects_in_three_languages(subject: str) -> None:
    result = classify(message(subject=subject), OWN)
    assert result is not None
    assert result.reason is IgnoreReason.AUTO_REPLY
    assert result.detail == f"Subject: {subject}"


def test_subject_words_must_be_whole_words() -> None:
    assert classify(message(subject="Kuulomallit ja avoin data"), OWN) is None


def test_multipart_report_is_a_delivery_report() -> None:
    result = classify(message(content_type="multipart/report; report-type=delivery-status"), OWN)
    assert result is not None
    assert result.reason is IgnoreReason.DELIVERY_REPORT
    assert result.detail == "Content-Type: multipart/report"


@pytest.mark.parametrize("sender", ["MAILER-DAEMON@mx.vm.fi", "postmaster@example.org"])
def test_mailer_daemon_is_a_delivery_report(sender: str) -> None:
    result = classify(message(from_address=sender, subject="Hi"), OWN)
    assert result is not None
    assert result.reason is IgnoreReason.DELIVERY_REPORT


@pytest.mark.parametrize(
    "subject",
    ["Undelivered Mail Returned to Sender", "Delivery Status Notification (Failure)",
     "Mail delivery failed: returning message", "Returned mail: see transcript",
     "Toimitus epäonnistui"],
)  # fmt: skip
def test_delivery_report_subjects(subject: str) -> None:
    result = classify(message(subject=subject), OWN)
    assert result is not None
    assert result.reason is IgnoreReason.DELIVERY_REPORT


def test_delivery_report_wins_over_auto_submitted() -> None:
    bounce = message(
        from_address="MAILER-DAEMON@vm.fi", headers=(("Auto-Submitted", "auto-replied"),)
    )
    result = classify(bounce, OWN)
    assert result is not None
    assert result.reason is IgnoreReason.DELIVERY_REPORT


def test_own_address_is_own_mail() -> None:
    result = classify(message(from_address="AvoinHallinto@vm.fi"), OWN)
    assert result is not None
    assert result.reason is IgnoreReason.OWN_MAIL


def test_loop_header_is_own_mail() -> None:
    receipt = message(headers=(("X-Practices-Loop", "receipt"), ("Auto-Submitted", "auto-replied")))
    result = classify(receipt, OWN)
    assert result is not None
    assert result.reason is IgnoreReason.OWN_MAIL
    assert result.detail == "X-Practices-Loop: receipt"


def test_custom_loop_header_name() -> None:
    result = classify(message(headers=(("X-Our-Loop", "1"),)), OWN, loop_header="X-Our-Loop")
    assert result is not None
    assert result.reason is IgnoreReason.OWN_MAIL


def test_spam_is_not_ignored() -> None:
    assert classify(message(headers=(("X-Spam-Flag", "YES"),)), OWN) is None
