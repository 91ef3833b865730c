"""Where each payment's processor fee is kept: its estimate, then the real fee once known."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from devforge.domain.billing.processor_fees import ProcessorFee


class ProcessorFeeRepository(Protocol):
    """Transactional (the caller's unit of work)."""

    async def add(self, fee: ProcessorFee) -> bool:
        """Stores the payment's estimate and answers True; a payment already known answers False
        and changes nothing (a redelivered sale)."""
        ...

    async def get(self, payment_id: str, *, for_update: bool = False) -> ProcessorFee | None: ...

    async def update(self, fee: ProcessorFee) -> None:
        """Records the real fee of a stored estimate."""
        ...

    async def unsettled(
        self,
        *,
        order_id: UUID | None = None,
        before: datetime | None = None,
        since: datetime | None = None,
        limit: int,
    ) -> list[ProcessorFee]:
        """Estimates whose real fee is not known yet, oldest first: of one order, or estimated
        in ``[since, before)``."""
        ...
