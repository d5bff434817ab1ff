"""[database]: the SQLAlchemy URL, checked when read and masked whenever it is printed.

A URL can carry secrets in two places: the password after the user name, and query parameters
such as `password=`, `sslkey=` or `token=`. `mask_url` hides both; everything else stays
readable, so an operator can still see which server and database are meant.
"""

from __future__ import annotations

from urllib.parse import unquote_plus

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from core.config.fields import Where, setting, table

SCHEMES = ("sqlite", "postgresql")
MASK = "***"
# A query parameter whose name contains one of these is shown as MASK.
SECRET_WORDS = ("pass", "pwd", "secret", "token", "key", "auth", "credential")


@table
class DatabaseSettings:
    """[database]: where the rows live."""

    url: str = setting(
        default="", doc="SQLAlchemy URL; empty: SQLite at practices.db inside storage.data_dir"
    )

    def checked(self, where: Where) -> DatabaseSettings:
        """Refuse a URL that is not SQLite or PostgreSQL, never echoing it (it may hold a
        password)."""
        if not self.url:
            return self
        if not self.url.split(":", 1)[0].startswith(SCHEMES):
            raise where.fail("url", "must be a sqlite:/// or postgresql:// URL")
        try:
            make_url(self.url)
        except ArgumentError:
            raise where.fail(
                "url", "is not a valid URL (driver://user@host:port/database)"
            ) from None
        return self


def is_secret_name(name: str) -> bool:
    """Whether a URL query parameter named `name` may hold a secret."""
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS)


def mask_url(url: str) -> str:
    """`url` with its password and the values of secret-looking query parameters masked.

    >>> mask_url("postgresql+psycopg://u:pw@h/db?sslpassword=x&application_name=ok")
    'postgresql+psycopg://u:***@h/db?application_name=ok&sslpassword=***'
    """
    try:
        rendered = make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a valid URL; not shown)"
    base, question_mark, query = rendered.partition("?")
    if not question_mark:
        return rendered
    pairs = (pair.partition("=") for pair in query.split("&"))
    return f"{base}?" + "&".join(
        f"{name}={MASK}" if is_secret_name(unquote_plus(name)) else f"{name}{eq}{value}"
        for name, eq, value in pairs
    )
