"""Runs the console under uvicorn as `[web]` says: address, base path and trusted proxies.

One process: the console is for a programme's handful of editors, and SQLite wants one writer.
uvicorn believes `X-Forwarded-For` and `X-Forwarded-Proto` only from `[web] trusted_proxies`
(never from anyone when the list is empty), so throttling counts real addresses and HSTS and
Secure cookies follow the scheme the editor used.
"""

from __future__ import annotations

import logging

import uvicorn

from core.config.web import parse_bind
from practices.web.app import create_app
from store.app import App

log = logging.getLogger(__name__)


def serve(app: App, bind: str | None = None) -> None:
    """Serve the console until SIGINT or SIGTERM; `bind` ("HOST:PORT") overrides `[web] bind`."""
    web = app.settings.web
    host, port = web.host_port() if bind is None else parse(bind)
    proxies = ",".join(web.trusted_proxies)
    log.info("console on http://%s:%d%s/", host, port, web.base_path)
    uvicorn.run(
        create_app(app),
        host=host,
        port=port,
        root_path=web.base_path,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or None,
        server_header=False,
        log_level="warning",
        access_log=False,
    )


def parse(bind: str) -> tuple[str, int]:
    """ "HOST:PORT" from the command line, as `[web] bind` is read."""
    return parse_bind(bind, None)
