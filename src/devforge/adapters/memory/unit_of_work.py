from __future__ import annotations

from devforge.adapters.memory.store import MemoryStore


class InMemoryUnitOfWork:
    """Writes go straight to the store; rollback (explicit, or leaving without commit) puts back
    the state as of the last commit. Repositories are built from the unit of work (``store``),
    so a scope that writes always has one to roll back."""

    def __init__(self, store: MemoryStore) -> None:
        self.store = self._store = store
        self._snapshot = store.snapshot()
        self.committed = False

    async def commit(self) -> None:
        self._snapshot = self._store.snapshot()
        self.committed = True

    async def rollback(self) -> None:
        self._store.restore(self._snapshot)

    async def close(self) -> None:
        """Called when the request or job ends: whatever was not committed is discarded."""
        await self.rollback()
