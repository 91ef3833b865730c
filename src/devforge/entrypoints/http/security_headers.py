"""Security headers on every answer the service gives: Litestar's routes, its problem+json
errors and 404s, the validation fast path in front of Litestar, file downloads, the docs.

Rules:
- ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``, ``Referrer-Policy:
  no-referrer`` and a Content-Security-Policy everywhere. API answers are data, so their policy
  allows nothing (``default-src 'none'``); the docs pages under ``/schema`` allow their own
  origin only (scripts, styles, fonts, the OpenAPI document), never a third party, and inline
  styles only because the viewers inject their stylesheets at run time.
- ``Cache-Control: no-store`` on every answer to a request that carried credentials
  (``Authorization``), whatever the route said, and on any answer that did not choose its own
  caching; public answers that may be cached say so themselves (signing keys, docs assets).
- ``Strict-Transport-Security`` when the request came over TLS (directly, or through a proxy
  named in ``DEVFORGE_TRUSTED_PROXIES`` saying ``X-Forwarded-Proto: https``) or when the public
  URL is https.
A header the route set itself is kept, except the cache rule above.
"""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

_COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
API_POLICY = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
DOCS_POLICY = (
    b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    b"font-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
    b"form-action 'self'"
)
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
_NO_STORE = (b"cache-control", b"no-store")


def with_security_headers(app: ASGIApp, *, docs_path: str, always_https: bool) -> ASGIApp:
    api_headers = (*_COMMON, (b"content-security-policy", API_POLICY))
    docs_headers = (*_COMMON, (b"content-security-policy", DOCS_POLICY))
    docs_prefix = docs_path.rstrip("/") + "/"
    ours = frozenset(name for name, _ in api_headers) | {b"cache-control"}

    async def secured(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        path = scope["path"]
        defaults = docs_headers if path == docs_path or path.startswith(docs_prefix) else api_headers
        credentials = False
        for name, _ in scope["headers"]:
            if name == b"authorization":
                credentials = True
                break
        tls = always_https or scope.get("scheme") == "https"

        async def send_secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                # The common answer sets none of these itself: one pass to find out.
                present = {lowered for name, _ in headers if (lowered := name.lower()) in ours}
                if credentials and b"cache-control" in present:
                    headers = [(name, value) for name, value in headers if name.lower() != b"cache-control"]
                    present.discard(b"cache-control")
                if present:
                    headers.extend(header for header in defaults if header[0] not in present)
                else:
                    headers.extend(defaults)
                if b"cache-control" not in present:
                    headers.append(_NO_STORE)
                if tls:
                    headers.append(HSTS)
                message["headers"] = headers
            await send(message)

        await app(scope, receive, send_secured)

    return secured
