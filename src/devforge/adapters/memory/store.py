from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterator, MutableMapping
from typing import Any, Protocol, cast

_ABSENT = object()


class Tables(Protocol):
    """What an in-memory repository is built on: the store itself, or a unit of work's view."""

    def table(self, name: str) -> dict[Any, Any]: ...


class MemoryStore:
    """Tables as dicts. Units of work change them through a ``StoreTransaction``, which keeps an
    undo journal of its own writes: rolling back undoes exactly those, newest first, and only the
    keys written are ever copied, never the whole store."""

    def __init__(self) -> None:
        self.tables: defaultdict[str, dict[Any, Any]] = defaultdict(dict)

    def table(self, name: str) -> dict[Any, Any]:
        """The live table, unjournaled: for readers outside a unit of work and for seeding."""
        return self.tables[name]

    def transaction(self) -> StoreTransaction:
        return StoreTransaction(self)

    def snapshot(self) -> dict[str, dict[Any, Any]]:
        """A deep copy of every table: for tests that look at everything stored."""
        return {name: copy.deepcopy(table) for name, table in self.tables.items()}


class StoreTransaction:
    """What one unit of work sees: the store's tables, each write journaled.

    Rule for the in-memory repositories: change a table only through its mapping operations
    (``table[key] = value``, ``del``, ``pop``, ``setdefault``...), never by mutating a stored
    value in place; a change the table does not see cannot be undone. Repositories store and
    return ``detached`` copies, so that holds by construction."""

    def __init__(self, store: MemoryStore) -> None:
        self._store = store
        self._undo: list[tuple[dict[Any, Any], Any, Any]] = []

    def table(self, name: str) -> dict[Any, Any]:
        return cast(dict[Any, Any], _JournaledTable(self._store.tables[name], self._undo))

    def commit(self) -> None:
        self._undo.clear()

    def rollback(self) -> None:
        while self._undo:
            table, key, before = self._undo.pop()
            if before is _ABSENT:
                table.pop(key, None)
            else:
                table[key] = before


class _JournaledTable(MutableMapping[Any, Any]):
    """A live table that records, before each change, what the key held."""

    def __init__(self, rows: dict[Any, Any], undo: list[tuple[dict[Any, Any], Any, Any]]) -> None:
        self._rows, self._undo = rows, undo

    def _remember(self, key: Any) -> None:
        self._undo.append((self._rows, key, copy.deepcopy(self._rows[key]) if key in self._rows else _ABSENT))

    def __getitem__(self, key: Any) -> Any:
        return self._rows[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self._remember(key)
        self._rows[key] = value

    def __delitem__(self, key: Any) -> None:
        self._remember(key)
        del self._rows[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def get(self, key: Any, default: Any = None) -> Any:
        return self._rows.get(key, default)

    def values(self) -> Any:
        return self._rows.values()

    def items(self) -> Any:
        return self._rows.items()

    def keys(self) -> Any:
        return self._rows.keys()


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
