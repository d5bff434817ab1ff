"""[web]: the editors' console (`practices web`): where it listens, how it sits behind a proxy,
its cookies and sessions, login throttling, and the address mails link to.

Behind nginx the console usually lives under a path (`base_path = "/toimitus"`) and sees the
proxy's address as the client's: `trusted_proxies` names the proxies whose `X-Forwarded-For` and
`X-Forwarded-Proto` are believed, so throttling counts the editor's address, not nginx's.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace

from core.config.fields import Where, setting, table

DEFAULT_PORT = 8080


@table
class WebSettings:
    """[web]: the editors' console."""

    bind: str = setting(default="127.0.0.1:8080", doc="HOST:PORT the console listens on")
    base_path: str = setting(
        default="", doc='path prefix under which the proxy serves it ("/toimitus"); empty: /'
    )
    trusted_proxies: tuple[str, ...] = setting(
        default=(), doc="addresses whose X-Forwarded-For/-Proto headers are believed"
    )
    secure_cookies: bool = setting(
        default=True, doc="send cookies over HTTPS only (false only for plain-HTTP trials)"
    )
    session_hours: int = setting(
        default=12, at_least=1, at_most=24 * 30, doc="a login lasts this long"
    )
    max_failed_logins_per_account: int = setting(
        default=5, at_least=1, doc="failed logins of one account before it must wait"
    )
    max_failed_logins_per_address: int = setting(
        default=20, at_least=1, doc="failed logins from one address before it must wait"
    )
    login_window_minutes: int = setting(
        default=15, at_least=1, doc="failed logins are counted over this many minutes"
    )
    public_url: str = setting(
        default="", doc="the console's address as editors open it; empty: mails have no links"
    )

    def checked(self, where: Where) -> WebSettings:
        """A HOST:PORT bind, a base path that starts with "/" (no trailing one), proxies given
        as addresses or networks, and an absolute public URL."""
        parse_bind(self.bind, where)
        base = self.base_path.strip()
        if base and (not base.startswith("/") or "//" in base or any(c in base for c in "?#")):
            raise where.fail("base_path", f'must be a path such as "/toimitus", got {base!r}')
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise where.fail(
                    "trusted_proxies", f"{proxy!r} is not an IP address or network"
                ) from None
        if self.public_url and not self.public_url.startswith(("https://", "http://")):
            raise where.fail("public_url", "must start with https:// (or http://)")
        return replace(self, base_path=base.rstrip("/"))

    def host_port(self) -> tuple[str, int]:
        """The bind address split into host and port."""
        return parse_bind(self.bind, None)

    def draft_url(self, draft_id: int) -> str:
        """The console page of a draft, or "" when the console's address is not configured."""
        return f"{self.public_url.rstrip('/')}/drafts/{draft_id}" if self.public_url else ""


def parse_bind(text: str, where: Where | None) -> tuple[str, int]:
    """ "127.0.0.1:8080" or "[::1]:8080" as (host, port); ValueError, or ConfigError at `where`."""
    host, sep, port = text.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        problem = f"must be HOST:PORT such as 127.0.0.1:{DEFAULT_PORT}, got {text!r}"
        if where is None:
            raise ValueError(problem)
        raise where.fail("bind", problem)
    return host, int(port)
