from __future__ import annotations

from typing import Protocol


class HealthProbe(Protocol):
    """One dependency the service needs to answer requests (the database, Redis)."""

    name: str

    async def check(self) -> None:
        """Return when healthy; raise when not."""
        ...


HealthProbes = tuple[HealthProbe, ...]
