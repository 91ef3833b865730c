from __future__ import annotations

from devforge.adapters.memory.store import MemoryStore


class InMemoryUnitOfWork:
    """Writes go straight to the store; rollback (explicit, or leaving without commit) undoes
    this unit's writes since its last commit. Repositories are built from the unit of work's
    ``store`` (a journaled view of the tables), so every write they make can be rolled back."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = store.transaction()
        self.committed = False

    async def commit(self) -> None:
        self.store.commit()
        self.committed = True

    async def rollback(self) -> None:
        self.store.rollback()

    async def close(self) -> None:
        """Called when the request or job ends: whatever was not committed is discarded."""
        self.store.rollback()
