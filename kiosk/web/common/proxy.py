"""The client's own address and scheme behind the office's reverse proxy (nginx, see config/nginx/kiosk.conf).

Only a request that comes from an address listed in `server.proxies` has its X-Forwarded-For / -Proto read: any
other client could write those headers itself, to dodge the sign-in limits or to pass as a desk it is not.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.middleware.proxy_fix import ProxyFix

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


class BehindProxies:
    """WSGI middleware: ProxyFix (one proxy hop) for requests from the listed proxies, nothing for the rest."""

    def __init__(self, app: WSGIApplication, proxies: Iterable[str]) -> None:
        self.app = app
        self.proxied = ProxyFix(app, x_for=1, x_proto=1, x_host=1)
        self.proxies = frozenset(proxies)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        if environ.get("REMOTE_ADDR") in self.proxies:
            return self.proxied(environ, start_response)
        return self.app(environ, start_response)
