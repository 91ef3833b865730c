"""The pipeline plans each method and path once: a fast endpoint that says which requests it may
take sees no other; one that does not say sees every request; every answer keeps its steps."""

from __future__ import annotations

from litestar import Litestar, get
from litestar.testing import TestClient
from litestar.types import ASGIApp, Receive, Scope, Send

from devforge.bootstrap.settings import Settings
from devforge.entrypoints.http.app_container import ContainerOf
from devforge.entrypoints.http.pipeline import Parts, pipeline
from devforge.entrypoints.http.route_table import RouteTable
from tests.conftest import settings_for_tests


@get("/live", opt={"rate_limit": "none"})
async def live() -> str:
    return "ok"


@get("/fast", opt={"rate_limit": "none"})
async def fast_route() -> str:
    return "fast"


class Seen:
    """A fast endpoint that answers nothing itself and notes the paths it was handed."""

    def __init__(self, app: ASGIApp, takes: str | None) -> None:
        self._app, self.paths = app, list[str]()
        if takes is not None:
            self.takes = lambda method, path: method == "GET" and path == takes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.paths.append(scope["path"])
        await self._app(scope, receive, send)


def served(*takes: str | None) -> tuple[Litestar, list[Seen]]:
    app = Litestar(route_handlers=[live, fast_route])
    seen: list[Seen] = []

    def fast(which: str | None):  # type: ignore[no-untyped-def]
        def endpoint(fallback: ASGIApp, _: ContainerOf, __: Settings) -> ASGIApp:
            seen.append(Seen(fallback, which))
            return seen[-1]

        return endpoint

    parts = Parts(lambda: None, settings_for_tests(), RouteTable(app))  # type: ignore[arg-type,return-value]
    app.asgi_handler = pipeline(app.asgi_handler, [fast(each) for each in takes], parts)
    return app, seen


def test_a_request_no_fast_endpoint_takes_goes_to_litestar_straight_with_every_step() -> None:
    app, [seen] = served("/fast")
    with TestClient(app) as client:
        answer = client.get("/live")
        assert client.get("/fast").text == "fast"
    assert answer.text == "ok"
    assert answer.headers["x-request-id"] and answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "no-store"
    assert seen.paths == ["/fast"]


def test_a_fast_endpoint_that_does_not_say_what_it_takes_sees_every_request() -> None:
    app, seen = served("/fast", None)  # built innermost first: the one that does not say, then "/fast"
    with TestClient(app) as client:
        client.get("/live")
        client.get("/live")
    assert seen[0].paths == ["/live", "/live"]
