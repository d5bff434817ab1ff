"""Whom we may answer: every never-answer rule refuses with its code and what showed it."""

from __future__ import annotations

import pytest

from core.answering import (
    MESSAGE_ID_PREFIX,
    AckRefusal,
    AnswerRules,
    daily_limit,
    never_answer,
    reference_number,
    referenced_ids,
    reply_address,
)
from core.senders import is_robot_address

HUMAN = "maija.virtanen@vm.fi"
OURS = MESSAGE_ID_PREFIX
RULES = AnswerRules(own_addresses=("avoinhallinto@vm.fi",), public_domains=("*.fi",))


def refusal(headers: dict[str, str], sender: str = HUMAN, rules: AnswerRules = RULES) -> str:
    pairs = tuple(headers.items())
    found = never_answer(pairs, sender, reply_address(pairs, sender), rules)
    return found.code.value if found else ""


def test_a_plain_submission_from_a_person_may_be_answered() -> None:
    assert refusal({"From": HUMAN, "Subject": "Selkokieli", "Auto-Submitted": "no"}) == ""


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({"Auto-Submitted": "auto-replied"}, AckRefusal.AUTOMATIC),
        ({"Auto-Submitted": "auto-generated; owner-email=x@vm.fi"}, AckRefusal.AUTOMATIC),
        ({"X-Autoreply": "yes"}, AckRefusal.AUTOMATIC),
        ({"X-Auto-Response-Suppress": "DR, OOF, AutoReply"}, AckRefusal.AUTOMATIC),
        ({"Content-Type": "multipart/report; report-type=delivery-status"}, AckRefusal.AUTOMATIC),
        ({"Precedence": "bulk"}, AckRefusal.BULK),
        ({"Precedence": "junk"}, AckRefusal.BULK),
        ({"Precedence": "list"}, AckRefusal.BULK),
        ({"List-Id": "<uutiset.lists.vm.fi>"}, AckRefusal.MAILING_LIST),
        ({"List-Unsubscribe": "<mailto:leave@lists.vm.fi>"}, AckRefusal.MAILING_LIST),
        ({"Return-Path": "<>"}, AckRefusal.NULL_RETURN_PATH),
        ({"In-Reply-To": f"<{OURS}acknowledgement.ab12@vm.fi>"}, AckRefusal.ANSWERS_OUR_MAIL),
        ({"References": f"<a@b.fi> <{OURS}digest.cd34@vm.fi>"}, AckRefusal.ANSWERS_OUR_MAIL),
    ],
    ids=lambda value: str(value)[:40],
)  # fmt: skip
def test_automatic_bulk_and_list_mail_is_never_answered(headers: dict[str, str], code: str) -> None:
    assert refusal(headers) == code


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mail.vm.fi", "postmaster@kela.fi", "noreply@kela.fi", "no-reply@hel.fi",
        "do_not_reply@vero.fi", "ala-vastaa@espoo.fi", "ei.vastausta@vantaa.fi",
        "svara-inte@vasa.fi", "uutiset-request@lists.vm.fi", "owner-uutiset@lists.vm.fi",
        "uutiset-bounces+maija=vm.fi@lists.vm.fi",
    ],
)  # fmt: skip
def test_addresses_of_mail_software_are_never_answered(sender: str) -> None:
    assert is_robot_address(sender)
    assert refusal({"From": sender}, sender=sender) == AckRefusal.ROBOT_ADDRESS


@pytest.mark.parametrize("person", ["maija.virtanen@vm.fi", "noora.repo@hel.fi", "eino@vm.fi"])
def test_people_are_not_taken_for_robots(person: str) -> None:
    assert not is_robot_address(person)


def test_our_own_address_is_never_answered_whatever_its_case() -> None:
    assert refusal({}, sender="AvoinHallinto@VM.fi") == AckRefusal.OWN_ADDRESS


def test_a_robot_sender_with_a_human_reply_to_is_still_a_robot() -> None:
    assert refusal({"Reply-To": HUMAN}, sender="noreply@kela.fi") == AckRefusal.ROBOT_ADDRESS


def test_the_answer_goes_to_reply_to_when_there_is_one() -> None:
    pairs = (("Reply-To", "Toimitus <toimitus@hel.fi>"),)
    assert reply_address(pairs, HUMAN) == "toimitus@hel.fi"
    assert reply_address((), HUMAN) == HUMAN
    assert reply_address((), "") == ""


def test_a_sender_without_an_address_cannot_be_answered() -> None:
    assert refusal({}, sender="") == AckRefusal.NO_ADDRESS


def test_unknown_domains_are_answered_unless_only_known_ones_are_asked_for() -> None:
    strict = AnswerRules(public_domains=("*.fi",), only_known_domains=True)
    assert refusal({}, sender="anna@example.com") == ""
    assert refusal({}, sender="anna@example.com", rules=strict) == AckRefusal.UNKNOWN_DOMAIN
    assert refusal({}, sender="anna@kunta.fi", rules=strict) == ""


def test_the_daily_limit_refuses_from_the_nth_acknowledgement_on() -> None:
    rules = AnswerRules(per_sender_per_day=2)
    assert daily_limit(0, rules) is None
    assert daily_limit(1, rules) is None
    limited = daily_limit(2, rules)
    assert limited is not None and limited.code == AckRefusal.DAILY_LIMIT


def test_references_are_read_from_in_reply_to_and_references() -> None:
    pairs = (("In-Reply-To", "<a@vm.fi>"), ("References", "<b@vm.fi>\r\n <c@vm.fi>"))
    assert referenced_ids(pairs) == ["a@vm.fi", "b@vm.fi", "c@vm.fi"]


def test_a_reference_number_names_the_year_and_the_draft() -> None:
    assert reference_number(7, 2026) == "AH-2026-00007"


def test_a_reply_to_that_breaks_the_address_parser_is_still_read() -> None:
    hostile = "a:" * 5000 + " Toimitus <toimitus@hel.fi>"
    assert reply_address((("Reply-To", hostile),), HUMAN) == "toimitus@hel.fi"
