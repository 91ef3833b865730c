"""Guards that ignore the route handler get the handler itself, not Litestar's copy of it made on
every request; any other guard still gets a copy; and devforge's own guarded routes all take the
uncopied call."""

from __future__ import annotations

import asyncio
from typing import Any

from litestar import Litestar, get
from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler, HTTPRouteHandler

from devforge.bootstrap.container import make_container, memory_providers
from devforge.entrypoints.http.app import create_app
from devforge.entrypoints.http.guard_calls import call_guards_uncopied
from tests.conftest import settings_for_tests

_SCOPE: dict[str, Any] = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "GET",
    "scheme": "http",
    "root_path": "",
    "query_string": b"",
    "headers": [(b"host", b"test")],
    "server": ("test", 80),
    "client": ("127.0.0.1", 1),
}


def _call(app: Litestar, path: str) -> int:
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    asyncio.run(app({**_SCOPE, "path": path, "raw_path": path.encode()}, receive, send))  # type: ignore[arg-type]
    return statuses[0]


def _app() -> tuple[Litestar, list[tuple[str, BaseRouteHandler]]]:
    seen: list[tuple[str, BaseRouteHandler]] = []

    async def ignoring(_: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        seen.append(("ignoring", handler))

    ignoring.ignores_handler = True  # type: ignore[attr-defined]

    async def looking(_: ASGIConnection[Any, Any, Any, Any], handler: BaseRouteHandler) -> None:
        seen.append(("looking", handler))

    @get("/ours", guards=[ignoring])
    async def ours() -> str:
        return "ours"

    @get("/mixed", guards=[ignoring, looking])
    async def mixed() -> str:
        return "mixed"

    app = Litestar([ours, mixed], logging_config=None)
    assert call_guards_uncopied(app) == 1
    return app, seen


def _registered(app: Litestar, path: str) -> HTTPRouteHandler:
    return next(h for r in app.routes if r.path == path for h in r.route_handlers if isinstance(h, HTTPRouteHandler))  # type: ignore[attr-defined]


def test_a_guard_that_ignores_the_handler_gets_the_handler_itself() -> None:
    app, seen = _app()
    assert _call(app, "/ours") == 200
    assert seen == [("ignoring", _registered(app, "/ours"))]
    assert seen[0][1] is _registered(app, "/ours")


def test_a_handler_with_any_other_guard_keeps_litestars_copies() -> None:
    app, seen = _app()
    assert _call(app, "/mixed") == 200
    assert [name for name, _ in seen] == ["ignoring", "looking"]
    assert all(handler is not _registered(app, "/mixed") for _, handler in seen)


def test_every_guarded_route_of_devforge_takes_the_uncopied_call() -> None:
    config = settings_for_tests()
    app = create_app(make_container(config, base=memory_providers()), config)
    guarded = [
        handler
        for route in app.routes
        for handler in getattr(route, "route_handlers", ())
        if isinstance(handler, HTTPRouteHandler) and handler.resolve_guards()
    ]
    assert len(guarded) > 40
    copied = [handler.handler_name for handler in guarded if "authorize_connection" not in type(handler).__dict__]
    assert copied == []
