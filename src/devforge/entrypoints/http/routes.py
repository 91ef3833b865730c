"""The controllers of every context, found through the module each context names."""

from __future__ import annotations

from importlib import import_module

from litestar.types import ControllerRouterHandler

from devforge.bootstrap.context import Contexts


def controllers_of(contexts: Contexts) -> list[ControllerRouterHandler]:
    """Each context's ``http_routes`` module lists its controllers as ``CONTROLLERS``; a context
    without HTTP routes names none. A name that does not import fails the app's start."""
    controllers: list[ControllerRouterHandler] = []
    for context in contexts:
        if context.http_routes:
            controllers.extend(import_module(context.http_routes).CONTROLLERS)
    return controllers
