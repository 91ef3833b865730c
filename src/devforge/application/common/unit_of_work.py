from __future__ import annotations

from typing import Protocol


class UnitOfWork(Protocol):
    """One transaction per use case. Nothing is kept unless ``commit()`` is called: leaving the
    request or job without committing rolls everything back, outbox rows included."""

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
