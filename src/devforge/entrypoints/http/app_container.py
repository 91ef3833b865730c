"""The app's container, and the application-scope objects the HTTP shell takes from it.

``app.state.dishka_container`` is the one place the app keeps its container: the lifespan, the
middleware and the layers in front of Litestar read it there. Building an app costs far more
than a container (Litestar copies every handler of every controller), so the tests build one app
per process and settings and give it a fresh container for each test; an object taken from the
container is therefore taken again when the app's container is another one, at the price of one
identity check per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from dishka import AsyncContainer

T = TypeVar("T")

ContainerOf = Callable[[], AsyncContainer]
"""Answers the app's container of the moment (for layers in front of Litestar, which see no app)."""


class Taken(Generic[T]):
    """One application-scope object of the container, taken on first use."""

    __slots__ = ("_container", "_kind", "_value")

    def __init__(self, kind: Any) -> None:  # type[T], where T may be a Protocol (mypy refuses those)
        self._kind = kind
        self._container: AsyncContainer | None = None
        self._value: T | None = None

    async def of(self, container: AsyncContainer) -> T:
        if container is not self._container or self._value is None:
            self._value = await container.get(self._kind)
            self._container = container
        return self._value
