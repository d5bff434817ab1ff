"""The database schema as typed SQLAlchemy 2 models, one module per kind of record.

Idempotency lives here, not in check-then-insert code: one inbound row per (mailbox, UIDVALIDITY,
UID) and per raw SHA-256, and at most one draft per inbound row. Every change the code makes to
these modules needs an Alembic revision in `store/migrations/versions/`; a test compares the two.
Every model is importable from here (`from store.models import PracticeDraft`), and importing
this package registers every table on `Base.metadata`.
"""

from __future__ import annotations

from store.models.accounts import EditorAccount, EditorSession, LoginAttempt
from store.models.base import NAMING_CONVENTION, Base, UTCDateTime, utcnow
from store.models.drafts import DraftFlag, DraftSearchTerm, Photo, PracticeDraft, ReviewEvent
from store.models.mail import InboundMessage, MailboxState, OutboxMail
from store.models.newsletter import NewsletterEdition, NewsletterItem

__all__ = [
    "NAMING_CONVENTION",
    "Base",
    "DraftFlag",
    "DraftSearchTerm",
    "EditorAccount",
    "EditorSession",
    "InboundMessage",
    "LoginAttempt",
    "MailboxState",
    "NewsletterEdition",
    "NewsletterItem",
    "OutboxMail",
    "Photo",
    "PracticeDraft",
    "ReviewEvent",
    "UTCDateTime",
    "utcnow",
]
