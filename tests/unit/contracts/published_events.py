"""Find every published event schema and every publication, and compare the schemas with the
stored fingerprint (``published_events.json``): what a published schema's readers rely on."""

from __future__ import annotations

import importlib
import inspect
import json
import pkgutil
from pathlib import Path
from types import ModuleType

import devforge.application
from devforge.application.common.event_codec import describe
from devforge.application.common.integration_events import IntegrationEvent
from devforge.application.common.publication import Publication

SNAPSHOT = Path(__file__).with_name("published_events.json")
Fingerprints = dict[str, dict[str, dict[str, str]]]  # name -> version -> field -> type


def application_modules(suffix: str) -> list[ModuleType]:
    names = [m.name for m in pkgutil.walk_packages(devforge.application.__path__, "devforge.application.")]
    return [importlib.import_module(name) for name in sorted(names) if name.endswith(suffix)]


def published_schemas() -> list[type[IntegrationEvent]]:
    return [
        cls
        for module in application_modules(".published")
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, IntegrationEvent) and cls is not IntegrationEvent and cls.__module__ == module.__name__
    ]


def publications() -> dict[str, Publication]:
    """Each context's publication, by context."""
    modules = application_modules(".publication")
    return {module.__name__.split(".")[2]: module.PUBLICATION for module in modules if hasattr(module, "PUBLICATION")}


def fingerprints(schemas: list[type[IntegrationEvent]]) -> Fingerprints:
    found: Fingerprints = {}
    for schema in schemas:
        found.setdefault(schema.NAME, {})[str(schema.VERSION)] = describe(schema)
    return found


def stored() -> Fingerprints:
    return json.loads(SNAPSHOT.read_text())  # type: ignore[no-any-return]


def changes(stored: Fingerprints, live: Fingerprints) -> list[str]:
    """What differs, each said as what the author should do about it."""
    said = []
    for name in sorted(stored.keys() | live.keys()):
        for version in sorted(stored.get(name, {}).keys() | live.get(name, {}).keys(), key=int):
            before, now = stored.get(name, {}).get(version), live.get(name, {}).get(version)
            if before is None:
                said.append(f"{name} v{version} is new: add it to {SNAPSHOT.name} ({REGENERATE})")
            elif now is None:
                said.append(f"{name} v{version} is gone, but events of it may still wait in an outbox: keep it")
            elif before != now:
                fields = sorted(f for f in before.keys() | now.keys() if before.get(f) != now.get(f))
                said.append(
                    f"{name} v{version} changed ({', '.join(fields)}): a published schema never changes, since "
                    f"its readers rely on it; restore it and add the change as version {_next(live, name)} "
                    f"(a new class beside it), published alongside until no consumer reads v{version}"
                )
    return said


REGENERATE = "python -m tests.unit.contracts.published_events adds new schemas and never rewrites one"


def _next(live: Fingerprints, name: str) -> int:
    return max(int(version) for version in live[name]) + 1


def add_new_schemas() -> None:
    """Store the fingerprint of each schema not stored yet; a stored one is never rewritten."""
    merged, live = stored() if SNAPSHOT.exists() else {}, fingerprints(published_schemas())
    for name, versions in live.items():
        for version, fields in versions.items():
            merged.setdefault(name, {}).setdefault(version, fields)
    ordered = {name: dict(sorted(merged[name].items(), key=lambda kv: int(kv[0]))) for name in sorted(merged)}
    SNAPSHOT.write_text(json.dumps(ordered, indent=2) + "\n")


if __name__ == "__main__":
    add_new_schemas()
