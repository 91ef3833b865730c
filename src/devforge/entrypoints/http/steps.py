"""What a step of the request pipeline (``pipeline.py``) can be.

A step is one of five kinds, and its kind says where it runs; ``STEPS`` lists them in this
order (``pipeline`` refuses another):

1. ``Layer`` first (an outer one): wraps everything after it, every request (the client address).
2. ``Mark``: stamps every answer given behind it (security headers, the request id), whoever
   gives it: a route, a refusal of a step below, an error answer.
3. ``Catch``: answers an error raised behind it as a route's error is answered.
4. ``Check``: may answer instead of the endpoint (a refusal), before it runs.
5. ``Layer`` last (an inner one): wraps the endpoint, for the routes it applies to (idempotency
   on the POSTs that keep answers, dishka's request container for the routes that inject).

Marks, the catch and the checks run inline in one ASGI callable, which wraps ``send`` once for
every mark: a step costs a plain call, not a coroutine frame and a ``send`` wrapper of its own
(bench/README.md). What a step needs to know of a route (its rate-limit group, whether it
applies) it asks once per route (``for_route``, ``applies``), not once per request.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar.handlers import BaseRouteHandler
from litestar.types import ASGIApp, Receive, Scope, Send

Headers = list[tuple[bytes, bytes]]
Route = BaseRouteHandler | None
"""The route a request goes to (Litestar's handler); None for a path no route takes (404, 405)."""


def every_route(_: str, __: Route) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Layer:
    """An ASGI layer: before the marks, around everything (outer); after the checks, around the
    endpoint of the routes ``applies(method, route)`` names (inner)."""

    wrap: Callable[[ASGIApp], ASGIApp]
    applies: Callable[[str, Route], bool] = every_route


class Mark(ABC):
    """Stamps every answer given behind it: ``begin`` when the request comes in, ``stamp`` the
    headers of its answer (whoever answers), ``end`` once it is answered (or failed)."""

    @abstractmethod
    def begin(self, scope: Scope) -> Any: ...

    @abstractmethod
    def stamp(self, begun: Any, headers: Headers) -> None: ...

    def end(self, scope: Scope, begun: Any, status: int) -> None:
        return None


class Catch(ABC):
    """Answers an ``Exception`` raised by a check, a layer or an endpoint behind it."""

    @abstractmethod
    async def answer(self, scope: Scope, receive: Receive, send: Send, error: Exception) -> None: ...


class Check(ABC):
    """May refuse a request before its endpoint runs: ``refusal`` answers an ASGI app that
    sends the refusal (through the marks), or None to let the request on. ``for_route`` is
    what the check needs of a route, asked once per route; None: the check skips that route."""

    awaits = False
    """Whether ``refusal`` is a coroutine function (a check that asks a store)."""

    def for_route(self, method: str, route: Route) -> Any:
        return True

    @abstractmethod
    def refusal(self, scope: Scope, fact: Any) -> Any: ...
