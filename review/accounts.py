"""Editors' accounts, their logins and login throttling: who may use the console, and as whom.

Passwords are kept only as argon2id hashes (argon2-cffi, its RFC 9106 defaults); a hash made
with older parameters is rehashed at the next good login. A login is a server-side session row
(`store.models.EditorSession`) holding the SHA-256 of a random token that only the browser's
cookie has, so logging out, disabling an account or setting a new password ends it at once.

Throttling counts failed attempts over `[web] login_window_minutes`: per account (since its last
good login) and per address. Past either limit every attempt is refused before the password is
even checked, with the minutes left to wait; refused attempts are not counted, so the wait ends
when the window has passed. An unknown name costs the same hash check as a known one, so timing
does not tell which names exist.

Functions take the caller's session first and never commit.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, joinedload

from review.errors import ReviewError
from store.models import EditorAccount, EditorSession, LoginAttempt, utcnow

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,99}$")
MIN_PASSWORD_LENGTH = 10
# Seen-at is written at most this often, so reading pages does not write on every request.
SEEN_EVERY = timedelta(minutes=5)
KEEP_ATTEMPTS = timedelta(days=1)

# Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane) rather than argon2-cffi's
# default 64 MiB: every login would add 64 MiB to a console process that holds about 120 MiB,
# taking it past the 150 MB it is meant to stay under. Hashes made with other parameters still
# verify and are rehashed with these at the next login.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    """The stored form of a password: argon2id with this module's parameters."""
    return _hasher.hash(password)


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the account does not exist, so that costs the same time;
    made on first use, not at import (every `practices` command imports this module)."""
    return hash_password("no such account: the same work as a real check")


class AccountError(ReviewError):
    """Raised when an account operation is refused (bad name, short password, no such account)."""


class LoginThrottled(ReviewError):
    """Raised when too many logins failed lately for the account or from the address."""

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(
            f"Liian monta epäonnistunutta kirjautumista. Yritä uudelleen {minutes} min kuluttua.",
            f"Too many failed logins. Try again in {minutes} min.",
        )


@dataclass(frozen=True)
class Throttle:
    """The limits from `[web]`."""

    per_account: int = 5
    per_address: int = 20
    window: timedelta = timedelta(minutes=15)


def _normal_name(name: str) -> str:
    return name.strip().lower()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"Salasanassa on oltava vähintään {MIN_PASSWORD_LENGTH} merkkiä.",
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
        )


def get_account(session: Session, name: str) -> EditorAccount:
    """The account called `name` (case-insensitive), or AccountError."""
    account = session.scalars(
        select(EditorAccount).where(EditorAccount.name == _normal_name(name))
    ).one_or_none()
    if account is None:
        raise AccountError(f"Tunnusta {name!r} ei ole.", f"There is no account {name!r}.")
    return account


def add_account(session: Session, name: str, password: str, email: str = "") -> EditorAccount:
    """A new enabled account; the name is what the audit trail will record for its changes."""
    normal = _normal_name(name)
    if not NAME_PATTERN.match(normal):
        raise AccountError(
            f"Tunnus {name!r} ei kelpaa: käytä kirjaimia a-z, numeroita ja merkkejä . _ - @.",
            f"Account name {name!r} is not valid: use a-z, digits and . _ - @.",
        )
    if session.scalar(select(EditorAccount.id).where(EditorAccount.name == normal)) is not None:
        raise AccountError(f"Tunnus {normal!r} on jo olemassa.", f"Account {normal!r} exists.")
    _check_password(password)
    account = EditorAccount(name=normal, email=email.strip(), password_hash=hash_password(password))
    session.add(account)
    session.flush()
    return account


def list_accounts(session: Session) -> Sequence[EditorAccount]:
    """Every account, by name."""
    return session.scalars(select(EditorAccount).order_by(EditorAccount.name)).all()


def end_sessions(session: Session, account: EditorAccount) -> int:
    """End every login of `account`; returns how many there were."""
    result = session.execute(delete(EditorSession).where(EditorSession.account_id == account.id))
    return int(getattr(result, "rowcount", 0) or 0)


def disable_account(session: Session, name: str) -> EditorAccount:
    """Disable an account and end its logins at once."""
    account = get_account(session, name)
    if account.disabled_at is None:
        account.disabled_at = utcnow()
    end_sessions(session, account)
    return account


def set_password(session: Session, name: str, password: str) -> EditorAccount:
    """Give an account a new password and end its logins (a changed password is a new start)."""
    _check_password(password)
    account = get_account(session, name)
    account.password_hash = hash_password(password)
    account.password_changed_at = utcnow()
    end_sessions(session, account)
    return account


def _failures(session: Session, since: datetime, *conditions: object) -> int:
    query = select(func.count()).where(
        LoginAttempt.succeeded.is_(False),
        LoginAttempt.at >= since,
        *conditions,  # type: ignore[arg-type]
    )
    return int(session.scalar(query) or 0)


def _wait_minutes(session: Session, since: datetime, window: timedelta, now: datetime) -> int:
    oldest = session.scalar(
        select(func.min(LoginAttempt.at)).where(
            LoginAttempt.succeeded.is_(False), LoginAttempt.at >= since
        )
    )
    left = (oldest + window - now) if oldest else window
    return max(1, -(-int(left.total_seconds()) // 60))


def check_throttle(
    session: Session, name: str, address: str, throttle: Throttle, now: datetime
) -> None:
    """LoginThrottled when the account or the address has failed too often lately."""
    start = now - throttle.window
    normal = _normal_name(name)
    last_good = session.scalar(
        select(func.max(LoginAttempt.at)).where(
            LoginAttempt.username == normal, LoginAttempt.succeeded.is_(True)
        )
    )
    account_since = max(start, last_good) if last_good else start
    if _failures(session, account_since, LoginAttempt.username == normal) >= throttle.per_account:
        raise LoginThrottled(_wait_minutes(session, account_since, throttle.window, now))
    if _failures(session, start, LoginAttempt.address == address) >= throttle.per_address:
        raise LoginThrottled(_wait_minutes(session, start, throttle.window, now))


def authenticate(
    session: Session, name: str, password: str, address: str, throttle: Throttle
) -> EditorAccount | None:
    """The enabled account whose name and password these are, else None; LoginThrottled when
    the account or the address must wait.

    Every checked attempt is recorded (name, address, outcome) for throttling; a refusal returns
    rather than raises, so that the caller commits the failed attempt.
    """
    now = utcnow()
    normal = _normal_name(name)[:100]
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP_ATTEMPTS))
    check_throttle(session, normal, address, throttle, now)
    account = session.scalars(
        select(EditorAccount).where(EditorAccount.name == normal)
    ).one_or_none()
    good = False
    try:
        good = _hasher.verify(account.password_hash if account else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        good = False
    good = good and account is not None and account.disabled_at is None
    session.add(LoginAttempt(username=normal, address=address[:64], succeeded=good, at=now))
    if not good or account is None:
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    account.last_login_at = now
    return account


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    session: Session, account: EditorAccount, address: str, lifetime: timedelta
) -> str:
    """Start a login for `account`; returns the token for the cookie (stored only hashed)."""
    now = utcnow()
    session.execute(delete(EditorSession).where(EditorSession.expires_at < now))
    token = secrets.token_urlsafe(32)
    session.add(
        EditorSession(
            token_sha256=_digest(token),
            account_id=account.id,
            csrf_token=secrets.token_urlsafe(32),
            address=address[:64],
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )
    session.flush()
    return token


def session_for(session: Session, token: str) -> EditorSession | None:
    """The live login of an enabled account that `token` belongs to, or None."""
    if not token or len(token) > 200:
        return None
    now = utcnow()
    found = session.scalars(
        select(EditorSession)
        .join(EditorSession.account)
        .options(joinedload(EditorSession.account))
        .where(
            EditorSession.token_sha256 == _digest(token),
            EditorSession.expires_at > now,
            EditorAccount.disabled_at.is_(None),
        )
    ).one_or_none()
    if found is not None and now - found.last_seen_at > SEEN_EVERY:
        found.last_seen_at = now
    return found


def close_session(session: Session, token: str) -> None:
    """End the login `token` belongs to (logging out)."""
    session.execute(delete(EditorSession).where(EditorSession.token_sha256 == _digest(token)))
