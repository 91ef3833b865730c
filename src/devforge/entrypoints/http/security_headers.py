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

from dataclasses import dataclass

from litestar.types import Scope

from devforge.entrypoints.http.steps import Headers, Mark

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


@dataclass(frozen=True, slots=True)
class _CallsFor:
    defaults: tuple[tuple[bytes, bytes], ...]
    credentials: bool
    tls: bool
    whole: tuple[tuple[bytes, bytes], ...] = ()
    """What an answer that set none of these itself gets: the defaults, no-store, HSTS if TLS."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "whole", (*self.defaults, _NO_STORE, *((HSTS,) if self.tls else ())))


class SecurityHeaders(Mark):
    """The step of the pipeline (``pipeline.py``): what a request calls for is decided when it
    comes in (one of eight prepared answers: docs or API, credentials or not, TLS or not), and
    stamped on its answer, whoever gives it."""

    def __init__(self, *, docs_path: str, always_https: bool) -> None:
        self._docs_path, self._docs_prefix = docs_path, docs_path.rstrip("/") + "/"
        self._always_https = always_https
        api_headers = (*_COMMON, (b"content-security-policy", API_POLICY))
        docs_headers = (*_COMMON, (b"content-security-policy", DOCS_POLICY))
        self._ours = frozenset(name for name, _ in api_headers) | {b"cache-control"}
        self._calls_for = {
            (docs, credentials, tls): _CallsFor(docs_headers if docs else api_headers, credentials, tls)
            for docs in (False, True)
            for credentials in (False, True)
            for tls in (False, True)
        }

    def begin(self, scope: Scope) -> _CallsFor:
        path = scope["path"]
        docs = path == self._docs_path or path.startswith(self._docs_prefix)
        credentials = False
        for name, _ in scope["headers"]:
            if name == b"authorization":
                credentials = True
                break
        return self._calls_for[docs, credentials, self._always_https or scope.get("scheme") == "https"]

    def stamp(self, begun: _CallsFor, headers: Headers) -> None:
        ours = self._ours
        # The common answer sets none of these itself: one pass to find out, then one extend.
        for name, _ in headers:
            if name in ours or name.lower() in ours:
                self._stamp_beside(begun, headers)
                return
        headers.extend(begun.whole)

    def _stamp_beside(self, begun: _CallsFor, headers: Headers) -> None:
        """An answer that set some of these itself keeps them, except the cache rule."""
        ours = self._ours
        present = {lowered for name, _ in headers if (lowered := name.lower()) in ours}
        if begun.credentials and b"cache-control" in present:
            headers[:] = [(name, value) for name, value in headers if name.lower() != b"cache-control"]
            present.discard(b"cache-control")
        if present:
            headers.extend(header for header in begun.defaults if header[0] not in present)
        else:
            headers.extend(begun.defaults)
        if b"cache-control" not in present:
            headers.append(_NO_STORE)
        if begun.tls:
            headers.append(HSTS)
