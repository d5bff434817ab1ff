"""The daemon's Prometheus endpoint, scraped for real after real polls of a real Dovecot."""

from __future__ import annotations

import io
import random
import socket
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from prometheus_client.parser import text_string_to_metric_families

import ingest.analysis
import ingest.pipeline
from devserver.smtp import SmtpServer
from tests.integration.daemon import RunningDaemon, free_port, scrape
from tests.integration.harness import Installation, submission
from tests.integration.mailrig import mail_on

pytestmark = pytest.mark.dovecot

POISON_SUBJECT = "Tämä kaatuu analyysissä"
STATUSES = ("queued", "sending", "sent", "failed")


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a scrape, keyed by name and sorted labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text: str, name: str, **labels: str) -> float | None:
    return samples(text).get((name, tuple(sorted(labels.items()))))


def with_photo(raw: bytes) -> bytes:
    """`raw` with a 640x480 JPEG attached (about 150 KB): a photo, not a logo."""
    noise = Image.frombytes("RGB", (640, 480), random.Random(3).randbytes(640 * 480 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=50)
    message = message_from_bytes(raw, policy=policy.default)
    message.add_attachment(buffer.getvalue(), maintype="image", subtype="jpeg", filename="kuva.jpg")
    return message.as_bytes()


def fail_in_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the review step raise for the poison subject, so that message is failed, raw kept."""
    original = ingest.analysis.review

    def review(interpretation: Any, *args: Any, **kwargs: Any) -> Any:
        if interpretation.message.subject == POISON_SUBJECT:
            raise ValueError("a rule met something it cannot handle")
        return original(interpretation, *args, **kwargs)

    monkeypatch.setattr(ingest.pipeline, "review", review)


def test_the_daemon_serves_counts_durations_and_store_gauges_after_a_real_poll(
    inst: Installation, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Before the daemon: one message failed with its raw kept, waiting for `practices retry`.
    inst.deliver(submission(subject=POISON_SUBJECT))
    with monkeypatch.context() as patch:
        fail_in_analysis(patch)
        assert inst.cli("poll") == 0
    port = free_port()
    mail_on(  # a draft queues its acknowledgement in the outbox
        inst,
        smtp_server,
        metrics={"enabled": True, "bind": f"127.0.0.1:{port}"},
        limits={"max_message_bytes": 400_000},
        schedule={"interval_seconds": 600},  # one cycle before the scrape, however slow
    )
    inst.deliver(submission(subject="Selkokieli"))
    inst.deliver(with_photo(submission(subject="Kuvan kanssa")))
    inst.deliver(submission(subject="Poissa", Auto_Submitted="auto-replied"))
    inst.deliver(submission(subject="Liian iso", body="x" * 500_000))

    password = {inst.password_env: inst.server.password(inst.user)}
    daemon = RunningDaemon(inst.config_path, tmp_path / "daemon.log", password)
    try:
        daemon.wait_for_log("already known 0; moved 4")
        text = scrape(port)
    finally:
        assert daemon.stop() == 0, daemon.output()

    box = {"mailbox": "avoinhallinto"}
    assert value(text, "practices_messages_total", **box, outcome="draft") == 2
    assert value(text, "practices_messages_total", **box, outcome="ignored") == 1
    assert value(text, "practices_messages_total", **box, outcome="failed") == 1  # too large
    assert value(text, "practices_cycles_total", **box, result="ok") == 1
    assert value(text, "practices_cycle_duration_seconds_count", **box) == 1
    assert value(text, "practices_parse_duration_seconds_count") == 3  # all but the unfetched
    assert value(text, "practices_understand_duration_seconds_count") == 2  # the submissions
    assert value(text, "practices_photo_duration_seconds_count") == 1  # the one with a photo
    # From the store: true across restarts, and counting what the daemon did not see itself.
    assert value(text, "practices_failed_messages_waiting") == 1
    assert value(text, "practices_store_up") == 1
    last_success = value(text, "practices_last_success_timestamp_seconds", **box)
    assert last_success is not None and last_success > 1.7e9
    assert value(text, "practices_consecutive_failed_cycles", **box) == 0
    # One acknowledgement (one sender, at most one a day), queued, sending or sent by now.
    outbox = {status: value(text, "practices_outbox_mails", status=status) for status in STATUSES}
    assert sum(count or 0 for count in outbox.values()) == 1, outbox
    assert "metrics served at http://127.0.0.1:" in daemon.output()


def test_a_port_already_taken_stops_the_daemon_with_one_line(
    inst: Installation, tmp_path: Path
) -> None:
    port = free_port()
    inst.configure(metrics={"enabled": True, "bind": f"127.0.0.1:{port}"})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        daemon = RunningDaemon(inst.config_path, tmp_path / "daemon.log", {})
        assert daemon.process.wait(timeout=60) == 1
    output = daemon.output()
    assert f"cannot serve metrics on 127.0.0.1:{port} ([metrics] bind)" in output
    assert "Traceback" not in output
