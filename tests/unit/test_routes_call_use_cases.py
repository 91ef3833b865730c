"""A route hands its work to one use case: nothing it takes from the container is a port (a
repository, a digest, the clock, storage...), so lookups, ownership checks and rules live in the
use cases, where the CLI and the worker get the same ones. The import contract keeps the ports
modules out of the shell; this checks what each route is actually given."""

from __future__ import annotations

import typing
from collections.abc import Iterator

from litestar import Controller
from litestar.handlers import HTTPRouteHandler

from devforge.bootstrap.contexts import CONTEXTS
from devforge.entrypoints.http.routes import controllers_of

SHELL_SERVICES = {
    "HealthProbe": "readiness asks the platform's probes themselves; there is no rule to move",
    "SandboxCheckout": "the embedded stand-in for the provider's hosted page: the shell drives that adapter",
    "SandboxOnboarding": "the embedded stand-in for the provider's hosted onboarding: the shell drives that adapter",
}
"""Ports a route may still take, and why."""


def container_dependencies() -> Iterator[tuple[str, str, object]]:
    """(route, parameter, type) for every parameter a route takes through ``FromDishka``."""
    for controller in controllers_of(CONTEXTS):
        assert isinstance(controller, type) and issubclass(controller, Controller)
        for handler in (getattr(controller, name) for name in dir(controller)):  # its own and inherited
            if not isinstance(handler, HTTPRouteHandler):
                continue
            hints = typing.get_type_hints(handler.fn, include_extras=True)
            for name, hint in hints.items():
                metadata = getattr(hint, "__metadata__", ())
                if any(type(item).__name__ == "_FromComponent" for item in metadata):
                    yield f"{controller.__name__}.{handler.fn.__name__}", name, typing.get_args(hint)[0]


def ports_in(dependency: object) -> set[str]:
    """The names of the ports (``Protocol`` classes) a dependency is, or is a tuple of."""
    if typing.get_origin(dependency) is tuple:
        return {name for item in typing.get_args(dependency) for name in ports_in(item)}
    return {dependency.__name__} if getattr(dependency, "_is_protocol", False) else set()  # type: ignore[attr-defined]


def test_every_route_takes_use_cases_from_the_container_never_a_port() -> None:
    taken = list(container_dependencies())
    assert len({route for route, _, _ in taken}) > 80  # every context's routes were found
    ports = {
        f"{route}({parameter}: {port})"
        for route, parameter, dependency in taken
        for port in ports_in(dependency) - set(SHELL_SERVICES)
    }
    assert ports == set()


def test_the_ports_a_route_may_take_are_still_taken() -> None:
    """An exception nobody needs any more is removed from the list."""
    taken = {port for _, _, dependency in container_dependencies() for port in ports_in(dependency)}
    assert set(SHELL_SERVICES) <= taken
