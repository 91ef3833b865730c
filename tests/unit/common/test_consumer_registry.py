"""Every event consumer written in the application layer is registered: a consumer left out of
the registry is unit-tested and never runs (the dispute holds were lost that way once)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import devforge.application
from devforge.bootstrap.consumers import CONSUMERS


def consumer_classes() -> set[type]:
    """Each class of the application layer that subscribes to events and handles them."""
    found: set[type] = set()
    for module_info in pkgutil.walk_packages(devforge.application.__path__, "devforge.application."):
        module = importlib.import_module(module_info.name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            defined_here = cls.__module__ == module.__name__ and not getattr(cls, "_is_protocol", False)
            if defined_here and hasattr(cls, "subscribes_to") and hasattr(cls, "handle"):
                found.add(cls)
    return found


def test_the_discovery_finds_consumers_of_every_context() -> None:
    contexts = {cls.__module__.split(".")[2] for cls in consumer_classes()}
    assert {"common", "identity", "licensing", "billing", "marketplace"} <= contexts


def test_every_consumer_in_the_application_layer_is_registered() -> None:
    missing = sorted(f"{cls.__module__}.{cls.__qualname__}" for cls in consumer_classes() - set(CONSUMERS))
    assert not missing, f"Consumers that would never run; register them: {missing}"


def test_consumer_names_are_unique_since_the_delivery_ledger_keys_on_them() -> None:
    names = [consumer.name for consumer in CONSUMERS]
    assert len(names) == len(set(names))
