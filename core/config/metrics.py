"""[metrics]: the Prometheus endpoint the daemon serves, on a loopback address only.

The figures name mailboxes and count messages; nothing secret, but nothing the world needs
either. A scraper on another machine reaches them through an authenticating reverse proxy or
an SSH tunnel; the daemon itself never listens beyond this machine.
"""

from __future__ import annotations

from core.config.fields import Where, setting, table
from core.config.mailbox import is_loopback


@table
class MetricsSettings:
    """[metrics]: whether `practices run` serves /metrics, and where."""

    enabled: bool = setting(default=False, doc="serve Prometheus metrics from the daemon")
    bind: str = setting(
        default="127.0.0.1:9464", not_blank=True, doc="loopback host:port of /metrics"
    )

    @property
    def host(self) -> str:
        """The host part of `bind`, without the brackets of an IPv6 address."""
        return self.bind.rpartition(":")[0].strip("[]")

    @property
    def port(self) -> int:
        return int(self.bind.rpartition(":")[2])

    def checked(self, where: Where) -> MetricsSettings:
        """`bind` is host:port (IPv6 in brackets), with a loopback host and a real port."""
        host, colon, port = self.bind.rpartition(":")
        if not colon or not host or not port.isdigit() or not 1 <= int(port) <= 65535:
            raise where.fail(
                "bind", f"must be host:port, such as 127.0.0.1:9464, not {self.bind!r}"
            )
        if not is_loopback(host.strip("[]")):
            raise where.fail(
                "bind",
                f"metrics are served on a loopback address only, not {host!r}; reach them "
                "from elsewhere through a reverse proxy or an SSH tunnel",
            )
        return self
