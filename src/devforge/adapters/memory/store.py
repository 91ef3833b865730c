from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any


class MemoryStore:
    """Tables as dicts. A unit of work snapshots the tables it is about to change and puts the
    snapshot back on rollback; fine for one test at a time, which is all it is for."""

    def __init__(self) -> None:
        self.tables: defaultdict[str, dict[Any, Any]] = defaultdict(dict)

    def table(self, name: str) -> dict[Any, Any]:
        return self.tables[name]

    def snapshot(self) -> dict[str, dict[Any, Any]]:
        return copy.deepcopy(dict(self.tables))

    def restore(self, snapshot: dict[str, dict[Any, Any]]) -> None:
        """In place, so repositories holding a table keep seeing the live one."""
        for name, table in self.tables.items():
            table.clear()
            table.update(copy.deepcopy(snapshot.get(name, {})))


def detached(obj: Any) -> Any:
    """A copy that shares nothing with the stored one (pending events left behind), so a change
    that is never saved never reaches the store."""
    clone = copy.copy(obj)
    for name, value in vars(obj).items():
        if name != "_pending_events":
            setattr(clone, name, copy.deepcopy(value))
    if hasattr(clone, "_pending_events"):
        clone._pending_events = []
    return clone
