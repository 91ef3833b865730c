"""Guards called with the route handler itself, not a copy of it.

Litestar hands each guard ``copy(route_handler)`` on every request (``authorize_connection``), so
that a guard cannot change the handler. A copy of an ``HTTPRouteHandler`` (about sixty slots)
costs about 30 µs of CPU: a tenth of a cheap authenticated read. devforge's guards are all made by
``authorization.require``, which never looks at the handler (``ignores_handler``). Each HTTP
handler whose guards all say so gets a subclass of its own class whose ``authorize_connection``
passes ``self``; a handler with any other guard keeps Litestar's copy.
"""

from __future__ import annotations

import warnings
from typing import Any

from litestar import Litestar
from litestar.connection import ASGIConnection
from litestar.handlers import HTTPRouteHandler

_UNCOPIED: dict[type[HTTPRouteHandler], type[HTTPRouteHandler]] = {}


async def _authorize_connection(self: HTTPRouteHandler, connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    for guard in self.resolve_guards():
        await guard(connection, self)  # type: ignore[misc]


def _uncopied(kind: type[HTTPRouteHandler]) -> type[HTTPRouteHandler]:
    if kind not in _UNCOPIED:
        # Litestar's semantic handler classes (get, post, ...) warn that subclassing them is
        # deprecated in 3.0; this subclass only replaces one method and adds no state.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            _UNCOPIED[kind] = type(
                kind.__name__,
                (kind,),
                {"__slots__": (), "__module__": kind.__module__, "authorize_connection": _authorize_connection},
            )
    return _UNCOPIED[kind]


def ignoring_handler(handler: HTTPRouteHandler) -> bool:
    guards = handler.resolve_guards()
    return bool(guards) and all(getattr(guard, "ignores_handler", False) for guard in guards)


def call_guards_uncopied(app: Litestar) -> int:
    """Gives every HTTP handler of ``app`` whose guards ignore the handler the uncopied call;
    the number of handlers changed."""
    changed = 0
    for route in app.routes:
        for handler in getattr(route, "route_handlers", ()):
            uncopied = type(handler) in _UNCOPIED.values()
            if isinstance(handler, HTTPRouteHandler) and not uncopied and ignoring_handler(handler):
                handler.__class__ = _uncopied(type(handler))
                changed += 1
    return changed
