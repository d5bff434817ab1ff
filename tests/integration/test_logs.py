"""The daemon's log lines after a real poll: one per message, a failure's and an ignore's line
with its reason; in JSON one object per line a log collector can filter by its keys."""

from __future__ import annotations

import json

import pytest

from tests.integration.harness import Installation, submission

pytestmark = pytest.mark.dovecot

BODY_MARKER = "Salainen-Sisältö-9c1e"


def poll_logs(inst: Installation, log_format: str) -> str:
    inst.configure(logging={"format": log_format}, limits={"max_message_bytes": 30000})
    inst.deliver(submission(body=f"Mitä tehtiin ja miksi?\n{BODY_MARKER} kokeilu.\n"))
    inst.deliver(submission(subject="Automaattinen vastaus", Auto_Submitted="auto-replied"))
    inst.deliver(submission(subject="Iso", body="iso liite " * 5000))
    process = inst.cli_subprocess("poll")
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err.decode()
    return err.decode("utf-8")


def test_text_lines_of_an_ignored_and_a_failed_message_carry_their_reasons(
    inst: Installation,
) -> None:
    logs = poll_logs(inst, "text")
    assert "uid 2: ignored (inbound " in logs
    assert "): auto_reply: Auto-Submitted: auto-replied" in logs
    assert "WARNING ingest.poller: mailbox avoinhallinto uid 3: failed (inbound " in logs
    assert "): too large: " in logs and "limits.max_message_bytes = 30000" in logs


def test_json_lines_carry_mailbox_uid_inbound_outcome_and_reason_and_no_secret(
    inst: Installation,
) -> None:
    logs = poll_logs(inst, "json")
    lines = [json.loads(line) for line in logs.splitlines()]  # every line is one JSON object
    about = {line["uid"]: line for line in lines if "uid" in line}
    assert {uid: line["outcome"] for uid, line in about.items()} == {
        1: "draft",
        2: "ignored",
        3: "failed",
    }
    assert all(line["mailbox"] == "avoinhallinto" for line in about.values())
    assert all(isinstance(line["inbound_id"], int) for line in about.values())
    assert "reason" not in about[1] and isinstance(about[1]["draft_id"], int)
    assert about[2]["reason"].startswith("auto_reply")
    assert about[3]["reason"].startswith("too large") and about[3]["level"] == "WARNING"
    assert {"time", "level", "logger", "message"} <= set(about[1])
    assert inst.server.password(inst.user) not in logs
    assert BODY_MARKER not in logs
