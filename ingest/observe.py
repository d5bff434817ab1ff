"""What ingestion tells whoever watches it (the daemon's metrics), and the default: nobody.

The pipeline and the poller report each recorded message and the time each message took to
interpret through an `IngestObserver`; they never know what the watcher does with it, so the
layers below `practices/` need no metrics library, and one-shot commands pay nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: the pipeline imports this before its own outcomes
    from ingest.analysis import Timings
    from ingest.outcomes import Recorded


class IngestObserver(Protocol):
    """Receives facts about messages as they are handled; must be quick and never raise."""

    def message_recorded(self, mailbox: str, recorded: Recorded) -> None:
        """A message found in `mailbox` was recorded (or found recorded already)."""

    def message_interpreted(self, timings: Timings) -> None:
        """A new message was parsed, understood and had its photos made, in `timings`."""


class Unobserved:
    """The observer of a command nobody watches."""

    def message_recorded(self, mailbox: str, recorded: Recorded) -> None:
        pass

    def message_interpreted(self, timings: Timings) -> None:
        pass
