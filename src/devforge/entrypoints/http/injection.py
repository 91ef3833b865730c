"""dishka in the HTTP shell, paid for only by the routes that use it.

dishka's own Litestar integration opens a request-scope container for every request and wraps
every handler (a controller's bound method cannot be marked, so even a handler without a
``FromDishka`` parameter gets a wrapper and an extra ``request`` argument). Measured, that was a
third of what ``GET /health/live`` cost on top of Litestar (bench/README.md). Here:
- only a handler with a ``FromDishka`` parameter is wrapped (``InjectingRouter``);
- the request container is opened on the first ``get`` of the request and closed when the
  request ends (``lazy_request_container``), so a route that asks for nothing opens nothing;
- a route that cannot ask (``may_ask_the_container``) is not even given one.
"""

from __future__ import annotations

import inspect
from typing import Any, get_type_hints

from dishka import AsyncContainer
from dishka import Scope as DIScope
from dishka.entities.component import DEFAULT_COMPONENT
from dishka.integrations.base import default_parse_dependency
from dishka.integrations.litestar import inject
from litestar import Controller, Router
from litestar.enums import ScopeType
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler
from litestar.routes import BaseRoute
from litestar.types import ASGIApp, ControllerRouterHandler, Receive, Scope, Send


class RequestContainer:
    """The request scope of ``app_container``, opened when first asked for something."""

    __slots__ = ("_app_container", "_entered", "_opened")

    def __init__(self, app_container: AsyncContainer) -> None:
        self._app_container = app_container
        self._opened: Any = None
        self._entered: AsyncContainer | None = None

    async def get(self, dependency_type: Any, component: str = DEFAULT_COMPONENT) -> Any:
        if self._entered is None:
            self._opened = self._app_container(scope=DIScope.REQUEST)
            self._entered = await self._opened.__aenter__()
        return await self._entered.get(dependency_type, component)

    async def close(self, error: BaseException | None) -> None:
        if self._opened is not None:
            await self._opened.__aexit__(type(error) if error else None, error, error.__traceback__ if error else None)


def lazy_request_container(app: ASGIApp) -> ASGIApp:
    """Puts a ``RequestContainer`` of the app's container of the moment (``app_container.py``)
    at ``request.state.dishka_container`` (where dishka's injection and the guards look) and
    closes it, if opened, when the request ends."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_container = RequestContainer(scope["app"].state.dishka_container)
        scope.setdefault("state", {})["dishka_container"] = request_container
        try:
            await app(scope, receive, send)
        except BaseException as error:
            await request_container.close(error)
            raise
        await request_container.close(None)

    return middleware


def may_ask_the_container(_: str, route: BaseRouteHandler | None) -> bool:
    """Whether anything a route runs can reach ``request.state.dishka_container``: a handler with
    parameters (``FromDishka`` ones, the request), guards, dependencies, hooks or middleware of
    its own may; a handler with none of these (``GET /health/live``) cannot, and its requests
    get no request container at all (the pipeline's layer applies to the others only)."""
    if not isinstance(route, HTTPRouteHandler):
        return True
    return bool(
        route.parsed_fn_signature.parameters
        or route.resolve_guards()
        or route.resolve_dependencies()
        or route.resolve_before_request()
        or route.after_request
        or route.resolve_after_response()
        or route.resolve_middleware()
    )


def wants_injection(fn: Any) -> bool:
    """Whether a handler takes a ``FromDishka[...]`` parameter."""
    target = getattr(fn, "__func__", fn)
    hints = get_type_hints(target, include_extras=True)
    return any(
        default_parse_dependency(parameter, hints.get(name, Any)) is not None
        for name, parameter in inspect.signature(target).parameters.items()
    )


def _inject_if_wanted(handler: BaseRouteHandler) -> BaseRouteHandler:
    if isinstance(handler, HTTPRouteHandler) and wants_injection(handler._fn):
        handler._fn = inject(handler._fn)
    return handler


class InjectingRouter(Router):
    """A Router whose handlers get dishka's injection only when they take ``FromDishka`` parameters."""

    __slots__ = ()

    def register(self, value: ControllerRouterHandler) -> list[BaseRoute]:
        if isinstance(value, BaseRouteHandler):
            value = _inject_if_wanted(value)
        elif isinstance(value, type) and issubclass(value, Controller):  # each app's own subclass (routes.py)
            original = value.get_route_handlers

            def get_route_handlers(self: Controller) -> list[BaseRouteHandler]:
                return [_inject_if_wanted(handler) for handler in original(self)]

            value.get_route_handlers = get_route_handlers  # type: ignore[method-assign]
        return super().register(value)
