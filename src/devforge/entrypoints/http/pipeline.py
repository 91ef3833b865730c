"""The one request pipeline: every cross-cutting step, declared once, in front of every endpoint.

Every request goes through ``STEPS`` in order, then to the endpoint that answers it: a
context's fast endpoint (``fast_endpoint`` of its routes module: licensing's validation) when it
takes the request, else Litestar, which routes it to a controller. So a step added here (a
metric, a trace) reaches every answer, and no endpoint repeats one by hand.

A step is of one of the kinds of ``steps.py`` (a layer, a mark, a catch, a check), and its kind
fixes where it may stand in the list. The marks, the catch and the checks run inline in one ASGI
callable, with one ``send`` wrapper stamping every mark's headers: each costs a plain call, not
a layer of its own (bench/README.md). What a step needs of the route (its rate-limit group,
whether idempotency or the request container applies) is worked out once per method and path
(``_Plan``, from the ``RouteTable``: Litestar's own routing), not once per request.

A fast endpoint is an ASGI app that either answers or hands the request on (``fallback``) to
Litestar, which then answers it as the route always does (its problem+json for bad input). It
sits behind every step, so it neither counts a rate limit nor makes a request id itself. One that
says which requests it may take (``takes(method, path)``) is left out of the plans of every other
method and path: those go to Litestar straight.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from devforge.bootstrap.settings import Settings
from devforge.entrypoints.http.app_container import ContainerOf
from devforge.entrypoints.http.client_address import resolving_client_address
from devforge.entrypoints.http.idempotency import idempotent_posts, keeps_answers
from devforge.entrypoints.http.injection import lazy_request_container, may_ask_the_container
from devforge.entrypoints.http.input_guard import InputGuard
from devforge.entrypoints.http.problems import AnsweringErrors
from devforge.entrypoints.http.rate_limit import Limit, RateLimit
from devforge.entrypoints.http.request_context import RequestContext
from devforge.entrypoints.http.route_table import RouteTable
from devforge.entrypoints.http.routes import FastEndpoint
from devforge.entrypoints.http.security_headers import SecurityHeaders
from devforge.entrypoints.http.steps import Catch, Check, Layer, Mark, Route

DOCS_PATH = "/schema"


@dataclass(frozen=True, slots=True)
class Parts:
    """What the steps are built from."""

    container_of: ContainerOf
    settings: Settings
    routes: RouteTable


StepKind = Layer | Mark | Catch | Check
Step = Callable[[Parts], StepKind | None]
"""Builds a step from the parts; None leaves it out of this app (nothing to do here)."""


def _client_address(parts: Parts) -> Layer | None:
    """The client address, resolved once from trusted proxies, before anything reads it."""
    proxies = parts.settings.http.trusted_proxies
    return Layer(lambda app: resolving_client_address(app, proxies)) if proxies else None


def _security_headers(parts: Parts) -> Mark:
    always_https = parts.settings.http.resolved_public_base_url.startswith("https:")
    return SecurityHeaders(docs_path=DOCS_PATH, always_https=always_https)


def _request_context(_: Parts) -> Mark:
    """The request id on every log line and answer, and the access log line."""
    return RequestContext()


def _error_answers(_: Parts) -> Catch:
    """An error raised by a step below is answered as a route's error would be (problem+json)."""
    return AnsweringErrors()


def _input_guard(_: Parts) -> Check:
    return InputGuard()


def _rate_limit(parts: Parts) -> Check:
    limits = parts.settings.rate_limits
    window = limits.rate_limit_window_seconds
    groups = {
        "auth": Limit(limits.rate_limit_auth_per_minute, window),
        "api": Limit(limits.rate_limit_api_per_minute, window),
        "license": Limit(limits.rate_limit_license_per_minute, window),
        "analytics": Limit(limits.rate_limit_analytics_per_minute, window),
    }
    return RateLimit(parts.container_of, groups)


def _idempotency(parts: Parts) -> Layer:
    return Layer(lambda app: idempotent_posts(app, parts.container_of, parts.routes), keeps_answers)


def _request_container(_: Parts) -> Layer:
    """dishka's request scope for the routes that may ask for it (``injection.py``)."""
    return Layer(lazy_request_container, may_ask_the_container)


STEPS: tuple[Step, ...] = (
    _client_address,
    _security_headers,
    _request_context,
    _error_answers,
    _input_guard,
    _rate_limit,
    _idempotency,
    _request_container,
)
"""Outermost first. Every request passes all of them, whichever endpoint answers it."""


def pipeline(litestar: ASGIApp, fast_endpoints: Sequence[FastEndpoint], parts: Parts) -> ASGIApp:
    """``STEPS`` around the endpoints: the fast ones first (in the contexts' order), Litestar last."""
    endpoint = litestar
    fast_apps: list[ASGIApp] = []
    for fast in reversed(fast_endpoints):
        endpoint = fast(endpoint, parts.container_of, parts.settings)
        fast_apps.append(endpoint)
    outer: list[Layer] = []
    marks: list[Mark] = []
    catches: list[Catch] = []
    checks: list[Check] = []
    inner: list[Layer] = []
    place = 0
    for build in STEPS:
        step = build(parts)
        if step is None:
            continue
        kind = _PLACES[type(step) if isinstance(step, Layer) else _kind_of(step)]
        kind = 4 if kind == 0 and place > 0 else kind  # a layer after the others wraps the endpoint
        if kind < place:
            raise ValueError(f"{build.__name__} stands after a step that must come after it (steps.py)")
        place = kind
        places: tuple[list[Any], ...] = (outer, marks, catches, checks, inner)
        places[kind].append(step)
    if len(catches) > 1:
        raise ValueError("one catch at most: errors are answered in one place")
    endpoints = _Endpoints(endpoint, litestar, fast_apps)
    app: ASGIApp = _Inline(endpoints, marks, catches[0] if catches else None, checks, inner, parts.routes)
    for layer in reversed(outer):
        app = layer.wrap(app)
    return app


_PLACES: dict[type[Any], int] = {Layer: 0, Mark: 1, Catch: 2, Check: 3}


def _kind_of(step: Mark | Catch | Check) -> type[Mark | Catch | Check]:
    return next(kind for kind in (Mark, Catch, Check) if isinstance(step, kind))


class _Endpoints:
    """The fast endpoints in front of Litestar, or Litestar alone for a method and path that
    none of them takes (each says so with ``takes``; one that does not say is always kept)."""

    def __init__(self, chain: ASGIApp, litestar: ASGIApp, fast: Sequence[ASGIApp]) -> None:
        self.chain, self._litestar = chain, litestar
        self._takes = [getattr(app, "takes", None) for app in fast]

    def for_request(self, method: str, path: str) -> ASGIApp:
        if all(takes is not None and not takes(method, path) for takes in self._takes):
            return self._litestar
        return self.chain


@dataclass(frozen=True, slots=True)
class _Plan:
    """What the steps do for one method and path: the checks that apply (with what each needs of
    the route) and the endpoint wrapped in the inner layers that apply."""

    route: Route
    checks: tuple[tuple[Callable[[Scope, Any], Any], Any, bool], ...]
    endpoint: ASGIApp


_PLANS_KEPT = 4096
"""Plans kept by method and path; past it they are dropped and made again (a few µs each)."""


class _Inline:
    """The marks, the catch and the checks in one ASGI callable, then the planned endpoint."""

    def __init__(
        self,
        endpoints: _Endpoints,
        marks: Sequence[Mark],
        catch: Catch | None,
        checks: Sequence[Check],
        inner: Sequence[Layer],
        routes: RouteTable,
    ) -> None:
        self._endpoints, self._catch, self._checks, self._inner, self._routes = endpoints, catch, checks, inner, routes
        self._endpoint = endpoints.chain  # what a scope other than HTTP goes to
        # Bound once: a request begins every mark (outermost first), stamps its answer innermost
        # first, as a layer's would, and ends only the marks whose ``end`` does something.
        self._begins = tuple(mark.begin for mark in marks)
        self._stamps = tuple((index, mark.stamp) for index, mark in reversed(list(enumerate(marks))))
        self._ends = tuple(
            (index, mark.end) for index, mark in reversed(list(enumerate(marks))) if type(mark).end is not Mark.end
        )
        self._plans: dict[tuple[str, str, str], _Plan] = {}
        self._wrapped: dict[tuple[object, ...], ASGIApp] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._endpoint(scope, receive, send)
            return
        plan = self._plans.get((scope["method"], scope["path"], scope.get("root_path", ""))) or self._plan(scope)
        begun = [begin(scope) for begin in self._begins]
        stamps = self._stamps
        status = 500

        def marked(message: Message) -> Awaitable[None]:
            # A plain function handing back send's awaitable: no coroutine of its own per message.
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                for index, stamp in stamps:
                    stamp(begun[index], headers)
                message["headers"] = headers
            return send(message)

        try:
            try:
                for refusal_of, fact, awaits in plan.checks:
                    refusal = (await refusal_of(scope, fact)) if awaits else refusal_of(scope, fact)
                    if refusal is not None:
                        await refusal(scope, receive, marked)
                        return
                await plan.endpoint(scope, receive, marked)
            except Exception as error:
                if self._catch is None:
                    raise
                await self._catch.answer(scope, receive, marked, error)
        finally:
            for index, end in self._ends:
                end(scope, begun[index], status)

    def _plan(self, scope: Scope) -> _Plan:
        key = (scope["method"], scope["path"], scope.get("root_path", ""))  # type: ignore[typeddict-item]
        method, route = key[0], self._routes.handler(scope)
        checks = tuple(
            (check.refusal, fact, check.awaits)
            for check in self._checks
            if (fact := check.for_route(method, route)) is not None
        )
        applies = tuple(layer.applies(method, route) for layer in self._inner)
        base = self._endpoints.for_request(method, key[1])
        endpoint = self._wrapped.get((base, *applies))
        if endpoint is None:
            endpoint = base
            for layer, applied in reversed(list(zip(self._inner, applies, strict=True))):
                endpoint = layer.wrap(endpoint) if applied else endpoint
            self._wrapped[(base, *applies)] = endpoint
        if len(self._plans) >= _PLANS_KEPT:
            self._plans.clear()
        plan = self._plans[key] = _Plan(route, checks, endpoint)
        return plan
