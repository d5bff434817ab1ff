"""From raw bytes to everything a draft needs, without writing to the database.

The steps read top to bottom: parse → is it a submission at all? → understand → photos
(`interpret`, no database: it may run in a worker process) → recurring logos → duplicates →
review rules (`review`, in the process that holds the transaction). Only photo derivatives
are written (content-addressed files, harmless if the transaction that would point at them
never commits). Database reads go through `Lookups`, so this can be tested without a database.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass, field, replace
from typing import Protocol

from core.config import Settings
from core.vocabulary import SECTION_KEYS
from ingest.message import ParsedMessage
from ingest.mime import parse_message
from ingest.photos.process import demote_recurring, process_photos
from ingest.photos.result import PhotoReport
from ingest.rules import RULES
from ingest.rules.base import Flag, RuleContext
from ingest.rules.chain import run_rules
from ingest.understand.classify import Classification, classify
from ingest.understand.compose import understand
from ingest.understand.result import Understanding
from store.files import BlobStore
from store.repository import DuplicateHit


class Lookups(Protocol):
    """What analysis needs to know about earlier messages."""

    def duplicates(
        self, message_id: str, raw_sha256: str, text_fingerprint: str
    ) -> tuple[DuplicateHit, ...]: ...

    def is_recurring_image(self, sha256: str) -> bool: ...


@dataclass(frozen=True)
class Analysis:
    """The result of analysing one message: an ignore, or the content of a draft."""

    message: ParsedMessage
    ignore: Classification | None = None
    understanding: Understanding | None = None
    photos: PhotoReport = field(default_factory=PhotoReport)
    flags: tuple[Flag, ...] = ()
    passed_rules: tuple[str, ...] = ()
    text_fingerprint: str = ""


_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def text_fingerprint(understanding: Understanding) -> str:
    """A hash of the answers with case, punctuation and spacing removed ("" when empty)."""
    text = " ".join(understanding.sections.get(key) for key in SECTION_KEYS)
    normalised = _NON_WORD.sub(" ", text.casefold()).strip()
    if len(normalised) < 40:
        return ""
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds one message took in each step of `interpret`, and the images it had (a photo
    time means something only for a message with images), for the daemon's metrics."""

    parse: float = 0.0
    understand: float = 0.0
    photos: float = 0.0
    images: int = 0


@dataclass(frozen=True)
class Interpretation:
    """What a message says, worked out without the database (so a worker process can do it).

    Attachment payloads are dropped (`without_payloads`) before it crosses a process boundary:
    everything later steps need from them is already in the photo report and the understanding.
    """

    message: ParsedMessage
    ignore: Classification | None = None
    understanding: Understanding | None = None
    photos: PhotoReport = field(default_factory=PhotoReport)
    text_fingerprint: str = ""
    timings: Timings = field(default_factory=Timings)

    def without_payloads(self) -> Interpretation:
        """The same interpretation with attachment bytes removed, cheap to pickle."""
        attachments = tuple(replace(a, payload=b"") for a in self.message.attachments)
        return replace(self, message=replace(self.message, attachments=attachments))


def interpret(raw: bytes, *, settings: Settings, blobs: BlobStore) -> Interpretation:
    """Parse → is it a submission? → understand → photos. Writes only photo derivatives."""
    started = time.perf_counter()
    message = parse_message(raw, settings.limits)
    parse_seconds = time.perf_counter() - started
    return interpret_message(message, settings=settings, blobs=blobs, parse_seconds=parse_seconds)


def interpret_message(
    message: ParsedMessage, *, settings: Settings, blobs: BlobStore, parse_seconds: float = 0.0
) -> Interpretation:
    """`interpret` after parsing, for a caller that lets go of the raw bytes once parsed."""
    ignore = classify(message, settings.own_addresses)
    if ignore is not None:
        return Interpretation(message=message, ignore=ignore, timings=Timings(parse_seconds))

    started = time.perf_counter()
    understanding = understand(
        message,
        organisations=settings.organisations,
        limits=settings.limits,
        own_addresses=settings.own_addresses,
    )
    understood = time.perf_counter()
    photos = process_photos(
        message.attachments,
        message.text_html,
        understanding.body_text,
        settings=settings.photos,
        blobs=blobs,
        # Recurrence needs the database; `review` applies it with `demote_recurring`.
        is_recurring=lambda _sha256: False,
    )
    return Interpretation(
        message=message,
        ignore=None,
        understanding=understanding,
        photos=photos,
        text_fingerprint=text_fingerprint(understanding),
        timings=Timings(
            parse_seconds,
            understood - started,
            time.perf_counter() - understood,
            images=len(photos.photos),
        ),
    )


def review(
    interpretation: Interpretation, raw_sha256: str, *, settings: Settings, lookups: Lookups
) -> Analysis:
    """The database-side steps: recurring logos, duplicates, then every review rule."""
    message, understanding = interpretation.message, interpretation.understanding
    if interpretation.ignore is not None or understanding is None:
        return Analysis(message=message, ignore=interpretation.ignore)
    photos = demote_recurring(interpretation.photos, lookups.is_recurring_image)
    fingerprint = interpretation.text_fingerprint
    context = RuleContext(
        message=message,
        understanding=understanding,
        photos=photos,
        duplicates=lookups.duplicates(message.message_id, raw_sha256, fingerprint),
        public_domains=settings.public_domains,
        web_size=settings.photos.web_size,
    )
    outcome = run_rules(RULES, context)
    return Analysis(
        message=message,
        understanding=understanding,
        photos=photos,
        flags=outcome.flags,
        passed_rules=outcome.passed,
        text_fingerprint=fingerprint,
    )


def analyse(
    raw: bytes, raw_sha256: str, *, settings: Settings, blobs: BlobStore, lookups: Lookups
) -> Analysis:
    """Analyse one raw message in this process; raises only for transient trouble."""
    interpretation = interpret(raw, settings=settings, blobs=blobs)
    return review(interpretation, raw_sha256, settings=settings, lookups=lookups)
