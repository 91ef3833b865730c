"""The controllers of every context, and its fast endpoints, found through the module each context names."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from litestar import Controller
from litestar.types import ASGIApp, ControllerRouterHandler

from devforge.bootstrap.context import Contexts
from devforge.bootstrap.settings import Settings
from devforge.entrypoints.http.app_container import ContainerOf

FastEndpoint = Callable[[ASGIApp, ContainerOf, Settings], ASGIApp]
"""``(fallback, container_of, settings) -> endpoint``: answers what it serves, hands the rest to ``fallback``."""


def controllers_of(contexts: Contexts) -> list[ControllerRouterHandler]:
    """Each context's ``http_routes`` module lists its controllers as ``CONTROLLERS``; a context
    without HTTP routes names none. A name that does not import fails the app's start."""
    controllers: list[ControllerRouterHandler] = []
    for context in contexts:
        if context.http_routes:
            controllers.extend(_own_copy(each) for each in import_module(context.http_routes).CONTROLLERS)
    return controllers


def _own_copy(handler: ControllerRouterHandler) -> ControllerRouterHandler:
    """A controller class is handed out as a subclass of its own, made for this one app.

    Injection (``InjectingRouter``) wraps a controller class's ``get_route_handlers`` in place, so
    every further app built in the process would wrap the wrapper. The subclass takes the
    wrapping and leaves the context's class as it was written."""
    if isinstance(handler, type) and issubclass(handler, Controller):
        return type(
            handler.__name__, (handler,), {"__module__": handler.__module__, "__qualname__": handler.__qualname__}
        )
    return handler


def fast_endpoints_of(contexts: Contexts) -> list[FastEndpoint]:
    """The ``fast_endpoint`` of the contexts that offer one, in the contexts' order: each answers
    what it serves behind the pipeline's steps and hands the rest on (see ``pipeline.py``)."""
    endpoints: list[FastEndpoint] = []
    for context in contexts:
        endpoint = getattr(import_module(context.http_routes), "fast_endpoint", None) if context.http_routes else None
        if endpoint is not None:
            endpoints.append(endpoint)
    return endpoints
