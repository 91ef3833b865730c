"""Which address a request comes from: the connecting peer, unless that peer is a proxy the
operator named in ``DEVFORGE_TRUSTED_PROXIES``.

Only then are ``X-Forwarded-For`` and ``X-Forwarded-Proto`` believed, and the client is the
nearest address in the chain that is not itself a trusted proxy (uvicorn's
``ProxyHeadersMiddleware`` does the parsing). The result replaces ``scope["client"]`` (and
``scope["scheme"]``) in front of everything else, so the rate limiter, the validation fast path,
the audit log, sessions and the new-sign-in mail all see one resolved value, and nothing else
in the service reads a forwarded header. With no proxies configured (the default) the headers
are ignored: anyone can send them.
"""

from __future__ import annotations

from collections.abc import Sequence

from litestar.types import ASGIApp
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware


def resolving_client_address(app: ASGIApp, trusted_proxies: Sequence[str]) -> ASGIApp:
    if not trusted_proxies:
        return app
    return ProxyHeadersMiddleware(app, trusted_hosts=list(trusted_proxies))  # type: ignore[arg-type,return-value]
