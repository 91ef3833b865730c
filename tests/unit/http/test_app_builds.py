"""Building the app leaves the contexts' controller classes as they were written, so a process
that builds many apps (a test process) builds each as fast as the first."""

from __future__ import annotations

from importlib import import_module

from litestar import Controller

from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.contexts import CONTEXTS
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests


def _controller_classes() -> list[type[Controller]]:
    found: list[type[Controller]] = []
    for context in CONTEXTS:
        if context.http_routes:
            found.extend(
                each
                for each in import_module(context.http_routes).CONTROLLERS
                if isinstance(each, type) and issubclass(each, Controller)
            )
    return found


def test_building_apps_never_rewraps_the_controllers() -> None:
    controllers = _controller_classes()
    assert controllers
    before = {each: each.__dict__.get("get_route_handlers") for each in controllers}
    config = settings_for_tests()
    for _ in range(2):
        create_app(make_container(config, base=memory_providers()), config)
    assert {each: each.__dict__.get("get_route_handlers") for each in controllers} == before
