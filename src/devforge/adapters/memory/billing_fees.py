"""Processor fees in memory (tests and contract suites); rows are copies, never shared."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from devforge.adapters.memory.store import Tables
from devforge.domain.billing.processor_fees import ProcessorFee


class InMemoryProcessorFeeRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[str, ProcessorFee] = store.table("billing_processor_fees")

    async def add(self, fee: ProcessorFee) -> bool:
        if fee.payment_id in self._rows:
            return False
        self._rows[fee.payment_id] = replace(fee)
        return True

    async def get(self, payment_id: str, *, for_update: bool = False) -> ProcessorFee | None:
        found = self._rows.get(payment_id)
        return replace(found) if found else None

    async def update(self, fee: ProcessorFee) -> None:
        if fee.payment_id in self._rows:
            self._rows[fee.payment_id] = replace(fee)

    async def unsettled(
        self,
        *,
        order_id: UUID | None = None,
        before: datetime | None = None,
        since: datetime | None = None,
        limit: int,
    ) -> list[ProcessorFee]:
        found = [
            replace(fee)
            for fee in self._rows.values()
            if not fee.settled
            and (order_id is None or fee.order_id == order_id)
            and (before is None or fee.estimated_at < before)
            and (since is None or fee.estimated_at >= since)
        ]
        return sorted(found, key=lambda fee: (fee.estimated_at, fee.payment_id))[:limit]
