"""A stored metric definition never changes: a change is the next version beside it."""

from __future__ import annotations

from tests.unit.contracts.metric_definitions import changes, live, stored


def test_every_metric_version_is_stored_and_unchanged() -> None:
    assert changes(stored(), live()) == []


def test_a_changed_definition_is_told_to_become_a_new_version() -> None:
    before = {"users.new": {"1": {"definition": "Accounts registered."}}}
    now = {"users.new": {"1": {"definition": "Accounts registered, bots left out."}}}
    [said] = changes(before, now)
    assert "users.new v1 changed (definition)" in said
    assert "next version" in said
