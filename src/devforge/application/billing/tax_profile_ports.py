"""Where tax profiles are kept: one per publisher, the latest certification (a new form replaces
the old one). The TIN inside is sealed (``SealedTin``); the repository stores what it is given
and never sees a plain TIN. Transactional: the use case's unit of work commits."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from devforge.domain.billing.tax_profile import TaxProfile


class TaxProfileRepository(Protocol):
    async def get(self, publisher_id: UUID) -> TaxProfile | None: ...

    async def save(self, profile: TaxProfile) -> None:
        """Adds the publisher's profile, or replaces the one on file."""
        ...

    async def all(self) -> list[TaxProfile]:
        """Every profile, by publisher id: what a year-end report walks."""
        ...


class TaxProfileReads(Protocol):
    """Committed reads outside any unit of work (on SQL the common read path: one statement, no
    session): what a profile's page and the year-end reports read."""

    async def get(self, publisher_id: UUID) -> TaxProfile | None: ...

    async def all(self) -> list[TaxProfile]:
        """Every profile, by publisher id."""
        ...
