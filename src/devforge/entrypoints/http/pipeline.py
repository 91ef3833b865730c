"""The one request pipeline: every cross-cutting step, declared once, in front of every endpoint.

Every request goes through ``STEPS`` in order, then to the endpoint that answers it: a
context's fast endpoint (``fast_endpoint`` of its routes module: licensing's validation) when it
takes the request, else Litestar, which routes it to a controller. So a step added here (a
metric, a trace) reaches every answer, and no endpoint repeats one by hand. The steps read what
they need of the route (its rate-limit group, whether idempotency applies, its body limit) from
the ``RouteTable``: Litestar's own routing, asked once per request.

A fast endpoint is an ASGI app that either answers or hands the request on (``fallback``) to
Litestar, which then answers it as the route always does (its problem+json for bad input). It
sits behind every step, so it neither counts a rate limit nor makes a request id itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from litestar.types import ASGIApp

from devforge.bootstrap.settings import Settings
from devforge.entrypoints.http.app_container import ContainerOf
from devforge.entrypoints.http.client_address import resolving_client_address
from devforge.entrypoints.http.idempotency import idempotent_posts
from devforge.entrypoints.http.input_guard import guarded_input
from devforge.entrypoints.http.problems import answering_errors
from devforge.entrypoints.http.rate_limit import Limit, rate_limited
from devforge.entrypoints.http.request_context import request_context
from devforge.entrypoints.http.route_table import RouteTable
from devforge.entrypoints.http.routes import FastEndpoint
from devforge.entrypoints.http.security_headers import with_security_headers

DOCS_PATH = "/schema"


@dataclass(frozen=True, slots=True)
class Parts:
    """What the steps are built from."""

    container_of: ContainerOf
    settings: Settings
    routes: RouteTable


Step = Callable[[ASGIApp, Parts], ASGIApp]


def _client_address(app: ASGIApp, parts: Parts) -> ASGIApp:
    """The client address, resolved once from trusted proxies, before anything reads it."""
    return resolving_client_address(app, parts.settings.http.trusted_proxies)


def _security_headers(app: ASGIApp, parts: Parts) -> ASGIApp:
    always_https = parts.settings.http.resolved_public_base_url.startswith("https:")
    return with_security_headers(app, docs_path=DOCS_PATH, always_https=always_https)


def _request_context(app: ASGIApp, _: Parts) -> ASGIApp:
    """The request id on every log line and answer, and the access log line."""
    return request_context(app)


def _error_answers(app: ASGIApp, _: Parts) -> ASGIApp:
    """An error raised by a step below is answered as a route's error would be (problem+json)."""
    return answering_errors(app)


def _input_guard(app: ASGIApp, _: Parts) -> ASGIApp:
    return guarded_input(app)


def _rate_limit(app: ASGIApp, parts: Parts) -> ASGIApp:
    limits = parts.settings.rate_limits
    window = limits.rate_limit_window_seconds
    groups = {
        "auth": Limit(limits.rate_limit_auth_per_minute, window),
        "api": Limit(limits.rate_limit_api_per_minute, window),
        "license": Limit(limits.rate_limit_license_per_minute, window),
        "analytics": Limit(limits.rate_limit_analytics_per_minute, window),
    }
    return rate_limited(app, parts.container_of, parts.routes, groups)


def _idempotency(app: ASGIApp, parts: Parts) -> ASGIApp:
    return idempotent_posts(app, parts.container_of, parts.routes)


STEPS: tuple[Step, ...] = (
    _client_address,
    _security_headers,
    _request_context,
    _error_answers,
    _input_guard,
    _rate_limit,
    _idempotency,
)
"""Outermost first. Every request passes all of them, whichever endpoint answers it."""


def pipeline(litestar: ASGIApp, fast_endpoints: Sequence[FastEndpoint], parts: Parts) -> ASGIApp:
    """``STEPS`` around the endpoints: the fast ones first (in the contexts' order), Litestar last."""
    endpoint = litestar
    for fast in reversed(fast_endpoints):
        endpoint = fast(endpoint, parts.container_of, parts.settings)
    for step in reversed(STEPS):
        endpoint = step(endpoint, parts)
    return endpoint
