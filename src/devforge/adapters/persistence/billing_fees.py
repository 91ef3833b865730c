"""Processor fees on SQL (``billing_processor_fees``), in the caller's session."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.engine import insert_unless_taken
from devforge.adapters.persistence.tables.billing_fees import billing_processor_fees as fees
from devforge.domain.billing.money import Money
from devforge.domain.billing.processor_fees import ProcessorFee


class SqlaProcessorFeeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, fee: ProcessorFee) -> bool:
        """False when the payment has its estimate already (another delivery stored it first)."""
        row = {
            "payment_id": fee.payment_id,
            "order_id": fee.order_id,
            "currency": fee.estimated.currency.code,
            "estimated": fee.estimated.amount_minor,
            "estimated_at": fee.estimated_at,
        }
        added = await self._session.execute(insert_unless_taken(self._session, fees, row))
        return added.rowcount == 1  # type: ignore[attr-defined,no-any-return]

    async def get(self, payment_id: str, *, for_update: bool = False) -> ProcessorFee | None:
        query = select(fees).where(fees.c.payment_id == payment_id)
        row = (await self._session.execute(query.with_for_update() if for_update else query)).mappings().first()
        return _fee(row) if row else None

    async def update(self, fee: ProcessorFee) -> None:
        values = {
            "actual": fee.actual.amount_minor if fee.actual else None,
            "actual_currency": fee.actual.currency.code if fee.actual else None,
            "balance_transaction_id": fee.balance_transaction_id,
            "settled_at": fee.settled_at,
        }
        await self._session.execute(update(fees).where(fees.c.payment_id == fee.payment_id).values(values))

    async def unsettled(
        self,
        *,
        order_id: UUID | None = None,
        before: datetime | None = None,
        since: datetime | None = None,
        limit: int,
    ) -> list[ProcessorFee]:
        query = select(fees).where(fees.c.settled_at.is_(None))
        if order_id is not None:
            query = query.where(fees.c.order_id == order_id)
        if before is not None:
            query = query.where(fees.c.estimated_at < before)
        if since is not None:
            query = query.where(fees.c.estimated_at >= since)
        query = query.order_by(fees.c.estimated_at, fees.c.payment_id).limit(limit)
        return [_fee(row) for row in (await self._session.execute(query)).mappings()]


def _fee(row: Any) -> ProcessorFee:
    actual = Money.of(row["actual"], row["actual_currency"]) if row["actual"] is not None else None
    return ProcessorFee(
        payment_id=row["payment_id"],
        order_id=row["order_id"],
        estimated=Money.of(row["estimated"], row["currency"]),
        estimated_at=row["estimated_at"],
        actual=actual,
        balance_transaction_id=row["balance_transaction_id"],
        settled_at=row["settled_at"],
    )
