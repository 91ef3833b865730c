"""The published event schemas are contracts: frozen once published, each domain event mapped to
one, declared in one module per context, and their names written nowhere else."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import pkgutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from uuid import UUID

import devforge
import devforge.domain
from devforge.application.billing.published import OrderLineV1
from devforge.application.common.integration_events import IntegrationEvent
from devforge.application.common.publication import Mirror
from devforge.domain.shared.events import DomainEvent
from tests.unit.contracts.published_events import (
    application_modules,
    changes,
    fingerprints,
    publications,
    published_schemas,
    stored,
)

SOURCE = Path(devforge.__file__).parent


def test_no_published_schema_changed_without_a_new_version() -> None:
    said = changes(stored(), fingerprints(published_schemas()))
    assert not said, "\n".join(said)


def test_a_changed_field_is_refused_and_the_author_told_to_add_a_version() -> None:
    @dataclass(frozen=True, kw_only=True)
    class OrderPaidV1(IntegrationEvent):  # billing's, with ``total`` renamed in place
        NAME = "billing.order_paid"
        VERSION = 1
        order_id: UUID
        user_id: UUID
        email: str
        currency: str
        total_minor: int
        lines: tuple[OrderLineV1, ...]
        access_until: datetime | None = None

    live = fingerprints([schema for schema in published_schemas() if schema.NAME != OrderPaidV1.NAME])
    live |= fingerprints([OrderPaidV1])
    [said] = changes(stored(), live)
    assert said.startswith("billing.order_paid v1 changed (total, total_minor)")
    assert "add the change as version 2" in said


def test_each_name_and_version_is_declared_once() -> None:
    keys = [(schema.NAME, schema.VERSION) for schema in published_schemas()]
    assert len(keys) == len(set(keys)) and len(keys) >= 50


def test_every_domain_event_is_published_by_its_own_context() -> None:
    raised = {cls for cls in _subclasses(DomainEvent) if not cls.__subclasses__()}  # bases are never raised
    mapped = {event: context for context, publication in publications().items() for event in publication.mappers}
    assert raised == set(mapped), f"unmapped: {sorted(c.__name__ for c in raised - set(mapped))}"
    for event, context in mapped.items():
        assert event.__module__.split(".")[2] == context, f"{event.__name__} is published by {context}"


def test_each_mapping_goes_to_a_schema_of_its_context_with_fields_the_domain_event_has() -> None:
    for context, publication in publications().items():
        for event, mapper in publication.mappers.items():
            assert isinstance(mapper, Mirror), f"{event.__name__}: a hand-written mapper needs its own test"
            assert mapper.schema.__module__ == f"devforge.application.{context}.published"
            event_fields = {f.name for f in dataclasses.fields(event)}
            needed = {f.name for f in dataclasses.fields(mapper.schema)}
            assert needed <= event_fields, f"{event.__name__} lacks {sorted(needed - event_fields)}"


def test_event_names_are_written_only_in_the_published_modules() -> None:
    names = {schema.NAME for schema in published_schemas()}
    found = [
        f"{path.relative_to(SOURCE)}:{node.lineno} {node.value!r}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path.name != "published.py"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Constant) and node.value in names
    ]
    assert not found, f"event names outside the published modules: {found}"


def test_published_modules_import_only_the_standard_library_and_the_schema_base() -> None:
    allowed = {
        "__future__",
        "dataclasses",
        "datetime",
        "uuid",
        "typing",
        "devforge.application.common.integration_events",
    }
    for module in application_modules(".published"):
        tree = ast.parse(Path(module.__file__ or "").read_text())
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert imported <= allowed, f"{module.__name__} imports {sorted(imported - allowed)}"


def _subclasses(cls: type) -> set[type]:
    for module in pkgutil.walk_packages(devforge.domain.__path__, "devforge.domain."):
        importlib.import_module(module.name)  # so every domain event class exists
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found
