"""The CPU-time limit raises inside a busy step, and never after it."""

from __future__ import annotations

import threading
import time

import pytest

from ingest.cpu_limit import cpu_time_limit


class Spent(Exception):
    pass


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_a_step_over_its_cpu_time_is_interrupted() -> None:
    started = time.process_time()
    with pytest.raises(Spent), cpu_time_limit(0.2, Spent):
        _spin(5)
    assert time.process_time() - started < 1


def test_a_step_within_its_cpu_time_runs_to_the_end_and_nothing_fires_later() -> None:
    with cpu_time_limit(0.3, Spent):
        _spin(0.1)
    _spin(0.4)


def test_outside_the_main_thread_the_step_runs_unlimited() -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            with cpu_time_limit(0.05, Spent):
                _spin(0.2)
        except BaseException as exc:  # noqa: BLE001 - reported to the test thread
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert errors == []
