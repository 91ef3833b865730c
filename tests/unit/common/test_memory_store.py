"""The in-memory store's units of work undo exactly their own writes, whatever else ran."""

from __future__ import annotations

from devforge.adapters.memory.store import MemoryStore


def test_a_rollback_undoes_only_what_its_own_unit_wrote_since_its_last_commit() -> None:
    store = MemoryStore()
    store.table("rows")["kept"] = "seeded"
    first, second = store.transaction(), store.transaction()
    first.table("rows")["a"] = 1
    first.commit()
    second.table("rows")["b"] = 2
    second.table("rows")["kept"] = "changed"
    first.table("rows")["a"] = 10  # not committed
    second.rollback()
    assert store.table("rows") == {"kept": "seeded", "a": 10}
    first.rollback()
    assert store.table("rows") == {"kept": "seeded", "a": 1}


def test_every_kind_of_change_is_undone_newest_first() -> None:
    store = MemoryStore()
    rows = store.table("rows")
    rows.update({"x": [1], "y": [2], "z": [3]})
    unit = store.transaction()
    table = unit.table("rows")
    table["x"] = [9]
    table["x"] = [99]
    del table["y"]
    assert table.pop("z") == [3]
    table.setdefault("new", [4])
    table.update(w=[5])
    unit.rollback()
    assert rows == {"x": [1], "y": [2], "z": [3]}


def test_a_committed_write_survives_a_later_rollback_of_the_same_unit() -> None:
    store = MemoryStore()
    unit = store.transaction()
    unit.table("rows")["a"] = 1
    unit.commit()
    unit.table("rows")["a"] = 2
    unit.rollback()
    assert store.table("rows") == {"a": 1}
