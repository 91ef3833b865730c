"""The controllers of every context, and what it puts in front of them, found through the module
each context names."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from dishka import AsyncContainer
from litestar.types import ASGIApp, ControllerRouterHandler

from devforge.bootstrap.context import Contexts
from devforge.bootstrap.settings import Settings

InFront = Callable[[ASGIApp, AsyncContainer, Settings], ASGIApp]


def controllers_of(contexts: Contexts) -> list[ControllerRouterHandler]:
    """Each context's ``http_routes`` module lists its controllers as ``CONTROLLERS``; a context
    without HTTP routes names none. A name that does not import fails the app's start."""
    controllers: list[ControllerRouterHandler] = []
    for context in contexts:
        if context.http_routes:
            controllers.extend(import_module(context.http_routes).CONTROLLERS)
    return controllers


def fronts_of(contexts: Contexts) -> list[InFront]:
    """The ``in_front`` wrappers of the contexts that offer one, in the contexts' order."""
    fronts: list[InFront] = []
    for context in contexts:
        front = getattr(import_module(context.http_routes), "in_front", None) if context.http_routes else None
        if front is not None:
            fronts.append(front)
    return fronts
