"""The daemon's Prometheus metrics, served at http://[metrics] bind/metrics by `practices run`.

Two kinds of figure:
- events the daemon sees happen, counted in its memory (reset by a restart, which Prometheus'
  `rate()` and `increase()` expect): messages by outcome, cycles and their duration, and the
  parse, understand and photo time of each message;
- states the store holds, read from the database at every scrape (`STORE_GAUGES`), so they are
  true across restarts and after `practices retry` run by hand: the last successful poll of
  each mailbox, failed cycles in a row, failed messages waiting, the outbox by status.

Adding a store gauge is one entry in `STORE_GAUGES`: a name, its help, its labels and a query
taking the session and the settings, as the outbox's depth is:

    StoreGauge("practices_outbox_mails", "Mails in the outbox, by status.", ("status",), _outbox)

A scrape that cannot reach the database reports `practices_store_up 0` and leaves the store
gauges out, instead of failing the whole scrape.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    start_http_server,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.config import Settings
from core.errors import PracticesError
from ingest.analysis import Timings
from ingest.outcomes import Recorded
from store import outbox, reports
from store.app import App

log = logging.getLogger(__name__)

# A cycle takes a second when nothing is new and many minutes for a large backlog.
CYCLE_BUCKETS = (0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600)
# One message's step: milliseconds for plain text, seconds for a large photo or PDF.
STEP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)

Rows = Iterable[tuple[tuple[str, ...], float]]


@dataclass(frozen=True, slots=True)
class StoreGauge:
    """A gauge read from the store at scrape time: `read` gives (label values, value) rows."""

    name: str
    documentation: str
    labels: tuple[str, ...]
    read: Callable[[Session, Settings], Rows]


def _last_success(session: Session, settings: Settings) -> Rows:
    for state in reports.mailbox_states(session, [m.name for m in settings.mailboxes]):
        if state.last_success_at is not None:
            yield (state.name,), state.last_success_at.timestamp()


def _failures_in_a_row(session: Session, settings: Settings) -> Rows:
    for state in reports.mailbox_states(session, [m.name for m in settings.mailboxes]):
        yield (state.name,), float(state.consecutive_failures)


def _failed_waiting(session: Session, _settings: Settings) -> Rows:
    yield (), float(reports.failed_waiting(session))


def _outbox(session: Session, _settings: Settings) -> Rows:
    for status, count in outbox.depth(session).items():
        yield (status,), float(count)


STORE_GAUGES: tuple[StoreGauge, ...] = (
    StoreGauge(
        "practices_last_success_timestamp_seconds",
        "Unix time of the mailbox's last successful poll cycle.",
        ("mailbox",),
        _last_success,
    ),
    StoreGauge(
        "practices_consecutive_failed_cycles",
        "Poll cycles of the mailbox that failed in a row (0 after a success).",
        ("mailbox",),
        _failures_in_a_row,
    ),
    StoreGauge(
        "practices_failed_messages_waiting",
        "Failed messages with their raw bytes kept, waiting for `practices retry`.",
        (),
        _failed_waiting,
    ),
    StoreGauge(
        "practices_outbox_mails",
        "Mails in the outbox by status (queued, sending, sent, failed).",
        ("status",),
        _outbox,
    ),
)


class StoreCollector(Collector):
    """Reads every `STORE_GAUGES` entry in one read-only session per scrape."""

    def __init__(self, app: App, gauges: tuple[StoreGauge, ...] = STORE_GAUGES) -> None:
        self.app = app
        self.gauges = gauges

    def collect(self) -> Iterator[GaugeMetricFamily]:
        families = []
        try:
            with self.app.readers() as session:
                for gauge in self.gauges:
                    family = GaugeMetricFamily(gauge.name, gauge.documentation, labels=gauge.labels)
                    for labels, value in gauge.read(session, self.app.settings):
                        family.add_metric(list(labels), value)
                    families.append(family)
            up = 1.0
        except SQLAlchemyError as exc:
            log.warning("metrics: cannot read the store: %s", str(exc).splitlines()[0])
            families, up = [], 0.0
        yield GaugeMetricFamily(
            "practices_store_up", "Whether the last scrape could read the database.", value=up
        )
        yield from families


class Metrics:
    """The daemon's registry and the events it counts; an `IngestObserver` for the pipeline."""

    def __init__(self, app: App) -> None:
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)
        PlatformCollector(registry=registry)
        registry.register(StoreCollector(app))
        self.messages = Counter(
            "practices_messages",
            "Messages recorded, by mailbox and outcome (draft, ignored, failed).",
            ("mailbox", "outcome"),
            registry=registry,
        )
        self.known = Counter(
            "practices_messages_already_known",
            "Messages found again that were recorded before (after a crash or a move).",
            ("mailbox",),
            registry=registry,
        )
        self.cycles = Counter(
            "practices_cycles",
            "Poll cycles, by mailbox and result (ok, failed).",
            ("mailbox", "result"),
            registry=registry,
        )
        self.cycle_seconds = Histogram(
            "practices_cycle_duration_seconds",
            "Duration of poll cycles.",
            ("mailbox",),
            buckets=CYCLE_BUCKETS,
            registry=registry,
        )
        self.steps = {
            step: Histogram(
                f"practices_{step}_duration_seconds",
                f"Time one message took to {verb}.",
                buckets=STEP_BUCKETS,
                registry=registry,
            )
            for step, verb in (
                ("parse", "parse (MIME)"),
                ("understand", "understand (sections, theme, organisation)"),
                ("photo", "make photo derivatives of (messages with images only)"),
            )
        }

    def message_recorded(self, mailbox: str, recorded: Recorded) -> None:
        if recorded.known_before:
            self.known.labels(mailbox).inc()
        else:
            self.messages.labels(mailbox, recorded.outcome.value).inc()

    def message_interpreted(self, timings: Timings) -> None:
        self.steps["parse"].observe(timings.parse)
        if timings.understand or timings.photos:  # an ignored message is only parsed
            self.steps["understand"].observe(timings.understand)
        if timings.images:
            self.steps["photo"].observe(timings.photos)

    def cycle_finished(self, mailbox: str, seconds: float, *, ok: bool) -> None:
        self.cycles.labels(mailbox, "ok" if ok else "failed").inc()
        self.cycle_seconds.labels(mailbox).observe(seconds)


class MetricsServer:
    """The HTTP endpoint in a thread of the daemon; `close()` stops it."""

    def __init__(self, metrics: Metrics, settings: Settings) -> None:
        bind = settings.metrics
        try:
            self._server, self._thread = start_http_server(
                bind.port, addr=bind.host, registry=metrics.registry
            )
        except OSError as exc:
            raise PracticesError(
                f"cannot serve metrics on {bind.bind} ([metrics] bind): {exc.strerror}; "
                "another program (another daemon?) may use the port: choose another or stop it"
            ) from exc
        self.url = f"http://{bind.bind}/metrics"
        log.info("metrics served at %s", self.url)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
