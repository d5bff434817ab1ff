"""The error hierarchy of practice-inbox, so callers can tell what an operator must fix.

    PracticesError
    ├── ConfigError            the TOML file is missing, unreadable or invalid (names file and key)
    ├── SchemaOutOfDate        the database schema lags behind the code (run `practices db upgrade`)
    ├── MailboxError           anything on the IMAP side
    │   ├── MailboxAuthError   the server refused our login: fix the username or password
    │   ├── MailboxTLSError    the certificate could not be verified: fix ca_file or the server
    │   ├── MailboxFolderError a folder is missing and could not be created
    │   ├── MailboxProtocolError    the server broke IMAP or our bounds on its answers
    │   │   └── MailboxLiteralTooLarge  it sent (announced) a message larger than allowed
    │   └── MailboxConnectionError  network trouble: refused, reset, timed out (transient)
    ├── OAuthError             the token service refused us a token: the message says what to fix
    │   └── OAuthUnavailable   the token service could not be reached (transient)
    ├── StorageError           the data directory cannot be written (disk full, permissions)
    ├── AnotherInstance        a second daemon on a SQLite database that one already uses
    └── MessageError           one message cannot be processed (permanent: the raw is kept)
        └── MessageTooLarge    over the configured size limit

Transient errors (connection, storage, database) are retried and never mark a message failed;
permanent ones (MessageError) mark the message failed once, with its raw bytes kept. Which is
which is decided by class where they are handled (`ingest.workers.TRANSIENT_ERRORS`, and the
daemon's backoff, which waits longest after an authentication failure).
"""

from __future__ import annotations


class PracticesError(Exception):
    """Base of every error this project raises on purpose."""


class ConfigError(PracticesError):
    """Raised when the configuration file cannot be read or a key is invalid."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        self.path = path
        self.key = key
        self.problem = problem
        where = f"{path}: {key}" if key else path
        super().__init__(f"{where}: {problem}")


class SchemaOutOfDate(PracticesError):
    """Raised when the database is not at the schema revision this code needs."""


class MailboxError(PracticesError):
    """Raised for trouble talking to an IMAP server."""


class MailboxAuthError(MailboxError):
    """Raised when the server rejects the login; retrying will not help."""


class MailboxTLSError(MailboxError):
    """Raised when the server's certificate cannot be verified; TLS is never switched off."""


class MailboxFolderError(MailboxError):
    """Raised when a configured folder is missing and cannot be created."""


class MailboxProtocolError(MailboxError):
    """Raised when the server's answer breaks RFC 3501 (a UIDVALIDITY or UID that is no 32-bit
    number) or a bound we keep on answers (endless untagged responses); the cycle fails."""


class MailboxLiteralTooLarge(MailboxProtocolError):
    """Raised when the server announces a message body larger than its RFC822.SIZE allows or
    than `limits.max_message_bytes`; not a byte of it is read. `uid` when the answer named it."""

    def __init__(self, message: str, *, uid: int | None, size: int, limit: int) -> None:
        super().__init__(message)
        self.uid, self.size, self.limit = uid, size, limit


class MailboxConnectionError(MailboxError):
    """Raised when the connection is refused, dropped or times out; the next try may work."""


class OAuthError(PracticesError):
    """Raised when the token service refuses the client-credentials request (wrong secret,
    expired secret, unknown tenant or app, consent missing) or gives a token without the role
    the protocol needs; the message says what the operator must change, in one line."""


class OAuthUnavailable(OAuthError):
    """Raised when the token service cannot be reached or answers with a server error."""


class StorageError(PracticesError):
    """Raised when a file under data_dir cannot be written; transient (disk full, permissions)."""


class AnotherInstance(PracticesError):
    """Raised when a daemon starts on a SQLite database that another daemon already uses."""


class MessageError(PracticesError):
    """Raised when one message cannot be processed; it is recorded as failed with its raw kept."""


class MessageTooLarge(MessageError):
    """The failure of a message over `limits.max_message_bytes`; recorded as the reason of a
    message whose size, as the server announces it or as a file to import holds it, is over the
    limit, or whose body the server announced larger than its RFC822.SIZE allows (it is never
    read whole, nor archived)."""
