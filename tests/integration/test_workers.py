"""Worker processes interpret a backlog exactly as the daemon's own process would."""

from __future__ import annotations

import time
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from core.config import DatabaseSettings, ProcessingSettings, Settings, StorageSettings
from ingest.analysis import Interpretation
from ingest.workers import (
    POOL_MIN_MESSAGES,
    Interpreter,
    MessageTimedOut,
    RawMessage,
    WorkerCrashed,
)
from store.files import BlobStore
from tests.integration import worker_crash_helpers
from tests.mail import parsed_message, submission


def interpreter(
    tmp_path: Path, workers: int, *, isolate: bool = False, message_timeout_seconds: int = 300
) -> Interpreter:
    """An interpreter over a blob store in `tmp_path`, with `workers` worker processes."""
    settings = Settings(
        source="test",
        database=DatabaseSettings(url="sqlite://"),
        storage=StorageSettings(data_dir=tmp_path),
        processing=ProcessingSettings(workers, message_timeout_seconds),
    )
    return Interpreter(settings, BlobStore(tmp_path, fsync=False), isolate=isolate)


def backlog() -> list[bytes]:
    return [submission(subject=f"Kokeilu {n}") for n in range(POOL_MIN_MESSAGES + 2)]


def poisoned() -> bytes:
    return submission(subject="Myrkkyviesti", body=worker_crash_helpers.POISON.decode())


def archived(tmp_path: Path, raws: list[bytes]) -> list[RawMessage]:
    """The messages as the pipeline hands them over: written to the store, by path and bytes."""
    blobs = BlobStore(tmp_path, fsync=False)
    return [RawMessage(blobs.put_raw(raw)[1], len(raw), raw) for raw in raws]


def summary(item: Interpretation | Exception) -> tuple[object, ...]:
    assert isinstance(item, Interpretation), item
    assert item.understanding is not None
    return (item.understanding.title, item.understanding.sections, item.text_fingerprint)


def interpreted(results: list[Interpretation | Exception]) -> bool:
    return all(isinstance(result, Interpretation) for result in results)


@pytest.fixture
def misbehaving_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers die on a message with POISON in it and hang on one with HANG."""
    monkeypatch.setattr(
        "ingest.workers._interpret_in_worker", worker_crash_helpers.interpret_or_misbehave
    )


def test_workers_interpret_like_the_daemon_process(tmp_path: Path) -> None:
    raws = archived(tmp_path, backlog())
    with closing(interpreter(tmp_path, 2)) as pooled:
        from_workers = [summary(i) for i in pooled.start(raws)]
        assert pooled._pool is not None  # the backlog really went to worker processes
    local = interpreter(tmp_path, 1)
    assert from_workers == [summary(i) for i in local.start(raws)]


@pytest.mark.usefixtures("misbehaving_workers")
def test_a_message_that_kills_its_worker_fails_alone(tmp_path: Path) -> None:
    raws = backlog()
    raws[5] = poisoned()
    with closing(interpreter(tmp_path, 2)) as pooled:
        results = list(pooled.start(archived(tmp_path, raws)))
    assert isinstance(results[5], WorkerCrashed)
    assert interpreted(results[:5] + results[6:])
    assert len(results) == len(raws)


@pytest.mark.usefixtures("misbehaving_workers")
def test_a_crash_in_one_batch_costs_nothing_in_the_batches_handed_over_around_it(
    tmp_path: Path,
) -> None:
    """The poller hands batches over ahead of recording them: one shares the pool that broke,
    the next is handed to the pool that replaced it before the one ahead is collected."""
    first = backlog()
    first[2] = poisoned()
    with closing(interpreter(tmp_path, 2)) as pooled:
        running = pooled.start(archived(tmp_path, first))
        ahead = pooled.start(archived(tmp_path, backlog()))
        results_first = list(running)
        later = pooled.start(archived(tmp_path, backlog()))
        results_ahead, results_later = list(ahead), list(later)
    assert isinstance(results_first[2], WorkerCrashed)
    assert interpreted(results_first[:2] + results_first[3:])
    assert interpreted(results_ahead), results_ahead
    assert interpreted(results_later), results_later


@pytest.mark.usefixtures("misbehaving_workers")
def test_a_message_that_never_finishes_fails_alone_within_the_timeout(tmp_path: Path) -> None:
    raws = backlog()
    raws[3] = submission(subject="Jumittaja", body=worker_crash_helpers.HANG.decode())
    started = time.monotonic()
    with closing(interpreter(tmp_path, 2, message_timeout_seconds=2)) as pooled:
        results = list(pooled.start(archived(tmp_path, raws)))
    assert time.monotonic() - started < 30
    assert isinstance(results[3], MessageTimedOut)
    assert "message_timeout_seconds" in str(results[3])
    assert interpreted(results[:3] + results[4:])


@pytest.mark.usefixtures("misbehaving_workers")
def test_an_isolating_interpreter_survives_a_lone_message_that_kills_its_worker(
    tmp_path: Path,
) -> None:
    """The daemon isolates even a trickle: one poisonous message fails, the daemon lives."""
    with closing(interpreter(tmp_path, 0, isolate=True)) as isolating:
        [result] = list(isolating.start(archived(tmp_path, [poisoned()])))
        [after] = list(isolating.start(archived(tmp_path, [submission()])))
    assert isinstance(result, WorkerCrashed)
    assert isinstance(after, Interpretation)


def test_workers_killed_between_batches_are_replaced_for_the_next_one(tmp_path: Path) -> None:
    """The OOM killer may take an idle worker; the daemon's next cycle must not fail for it."""
    with closing(interpreter(tmp_path, 0, isolate=True)) as isolating:
        assert interpreted(list(isolating.start(archived(tmp_path, [submission()]))))
        assert isolating._pool is not None
        for process in list(isolating._pool._processes.values()):
            process.kill()
            process.join(timeout=10)
        time.sleep(0.5)  # let the executor notice its workers are gone
        results = list(isolating.start(archived(tmp_path, [submission(), submission()])))
    assert interpreted(results), results


def test_workers_1_keeps_even_an_isolating_interpreter_in_this_process(tmp_path: Path) -> None:
    isolating = interpreter(tmp_path, 1, isolate=True)
    results = list(isolating.start(archived(tmp_path, [submission()])))
    assert isolating._pool is None
    assert isinstance(results[0], Interpretation)


def test_a_small_batch_stays_in_this_process(tmp_path: Path) -> None:
    pooled = interpreter(tmp_path, 2)
    results = list(pooled.start(archived(tmp_path, [submission(), submission()])))
    assert pooled._pool is None
    assert interpreted(results)


def test_payloads_do_not_cross_the_process_boundary() -> None:
    from ingest.message import Attachment

    message = parsed_message(
        content_type="multipart/mixed",
        attachments=(Attachment(0, "image/jpeg", "k.jpg", b"x" * 1000),),
    )
    slim = Interpretation(message=message).without_payloads()
    assert slim.message.attachments[0].payload == b""
    assert replace(slim.message.attachments[0], payload=b"x" * 1000) == message.attachments[0]
