"""Editor accounts: argon2 hashes, logins as server-side sessions, throttling per account and
per address, and disabling or a new password ending logins at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from review import accounts
from review.accounts import AccountError, LoginThrottled, Throttle

PASSWORD = "hyvä-salasana-1"
LIFETIME = timedelta(hours=1)
STRICT = Throttle(per_account=3, per_address=5, window=timedelta(minutes=15))


@pytest.fixture
def token(sessions: sessionmaker[Session]) -> str:
    with sessions.begin() as session:
        account = accounts.add_account(session, "Anna", PASSWORD, "anna@vm.fi")
        assert account.password_hash.startswith("$argon2id$")
        assert PASSWORD not in account.password_hash
        return accounts.open_session(session, account, "192.0.2.1", LIFETIME)


def _login(sessions: sessionmaker[Session], name: str, password: str, address: str) -> bool:
    with sessions.begin() as session:
        return accounts.authenticate(session, name, password, address, STRICT) is not None


def test_the_right_password_logs_in_and_a_wrong_one_does_not(
    sessions: sessionmaker[Session], token: str
) -> None:
    assert _login(sessions, "ANNA", PASSWORD, "192.0.2.1")
    assert not _login(sessions, "anna", "väärä", "192.0.2.1")
    assert not _login(sessions, "eiole", PASSWORD, "192.0.2.1")


def test_a_hash_made_with_other_argon2_parameters_logs_in_and_is_rehashed(
    sessions: sessionmaker[Session], token: str
) -> None:
    # argon2-cffi's own default (64 MiB), as accounts made before the parameters were set had.
    with sessions.begin() as session:
        accounts.get_account(session, "anna").password_hash = PasswordHasher().hash(PASSWORD)
    assert _login(sessions, "anna", PASSWORD, "192.0.2.1")
    with sessions.begin() as session:
        stored = accounts.get_account(session, "anna").password_hash
    assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_failures_lock_the_account_even_for_the_right_password(
    sessions: sessionmaker[Session], token: str
) -> None:
    for _ in range(3):
        assert not _login(sessions, "anna", "väärä", "192.0.2.1")
    with pytest.raises(LoginThrottled) as caught:
        _login(sessions, "anna", PASSWORD, "192.0.2.9")
    assert 1 <= caught.value.minutes <= 15


def test_failures_from_one_address_lock_that_address_for_every_account(
    sessions: sessionmaker[Session], token: str
) -> None:
    for number in range(5):
        assert not _login(sessions, f"arvaus{number}", "väärä", "198.51.100.7")
    with pytest.raises(LoginThrottled):
        _login(sessions, "anna", PASSWORD, "198.51.100.7")
    assert _login(sessions, "anna", PASSWORD, "192.0.2.1")


def test_a_good_login_clears_the_accounts_earlier_failures(
    sessions: sessionmaker[Session], token: str
) -> None:
    for _ in range(2):
        _login(sessions, "anna", "väärä", "192.0.2.1")
    assert _login(sessions, "anna", PASSWORD, "192.0.2.1")
    for _ in range(2):
        _login(sessions, "anna", "väärä", "192.0.2.1")
    assert _login(sessions, "anna", PASSWORD, "192.0.2.1")


def test_disabling_or_a_new_password_ends_logins_at_once(
    sessions: sessionmaker[Session], token: str
) -> None:
    with sessions() as session:
        assert accounts.session_for(session, token) is not None
    with sessions.begin() as session:
        accounts.set_password(session, "anna", "uusi-salasana-2")
    with sessions() as session:
        assert accounts.session_for(session, token) is None
    with sessions.begin() as session:
        account = accounts.get_account(session, "anna")
        fresh = accounts.open_session(session, account, "192.0.2.1", LIFETIME)
        accounts.disable_account(session, "anna")
    with sessions() as session:
        assert accounts.session_for(session, fresh) is None
    assert not _login(sessions, "anna", "uusi-salasana-2", "192.0.2.1")


def test_logging_out_ends_the_session_and_the_csrf_token_belongs_to_it(
    sessions: sessionmaker[Session], token: str
) -> None:
    with sessions() as session:
        found = accounts.session_for(session, token)
        assert found is not None and len(found.csrf_token) >= 40
        assert found.token_sha256 != token  # only the hash is stored
    with sessions.begin() as session:
        accounts.close_session(session, token)
    with sessions() as session:
        assert accounts.session_for(session, token) is None


@pytest.mark.parametrize(("name", "password"), [("a b", PASSWORD), ("uusi", "lyhyt")])
def test_bad_names_and_short_passwords_are_refused(
    sessions: sessionmaker[Session], name: str, password: str
) -> None:
    with sessions.begin() as session, pytest.raises(AccountError):
        accounts.add_account(session, name, password)
