from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.engine import dialect_of
from devforge.adapters.persistence.tables import deliveries
from devforge.application.common.deliveries import Delivery, DeliveryStatus


class SqlaDeliveryLedger:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def open(self, items: Sequence[Delivery]) -> None:
        if not items:
            return
        dialect_insert = postgresql.insert if dialect_of(self._session) == "postgresql" else sqlite.insert
        await self._session.execute(
            dialect_insert(deliveries).on_conflict_do_nothing(index_elements=["event_id", "consumer"]),
            [_row(d) for d in items],
        )

    async def get(self, event_id: UUID, consumer: str, *, for_update: bool = False) -> Delivery | None:
        query = select(deliveries).where(deliveries.c.event_id == event_id, deliveries.c.consumer == consumer)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return _delivery(row) if row else None

    async def save(self, delivery: Delivery) -> None:
        await self._session.execute(
            update(deliveries)
            .where(deliveries.c.event_id == delivery.event_id, deliveries.c.consumer == delivery.consumer)
            .values(_row(delivery))
        )

    async def get_many(self, event_ids: Sequence[UUID], consumer: str, *, for_update: bool = False) -> list[Delivery]:
        if not event_ids:
            return []
        column = deliveries.c
        query = (
            select(deliveries)
            .where(column.consumer == consumer, column.event_id.in_(list(event_ids)))
            .order_by(column.event_id)
        )
        if for_update:
            query = query.with_for_update()
        return [_delivery(row) for row in (await self._session.execute(query)).mappings()]

    async def save_many(self, items: Sequence[Delivery]) -> None:
        """One statement, executed for every row (asyncpg sends them in one go)."""
        if items:
            rows = [_row(d) | {"b_event_id": d.event_id, "b_consumer": d.consumer} for d in items]
            await self._session.execute(_SAVE, rows)

    async def claim_due(
        self,
        now: datetime,
        limit: int,
        *,
        lease_until: datetime,
        only: Collection[str] | None = None,
        skipping: Collection[str] = (),
    ) -> list[Delivery]:
        query = select(deliveries).where(
            deliveries.c.status == DeliveryStatus.PENDING.value, deliveries.c.next_attempt_at <= now
        )
        if only is not None:
            query = query.where(deliveries.c.consumer.in_(list(only)))
        if skipping:
            query = query.where(deliveries.c.consumer.not_in(list(skipping)))
        query = query.order_by(deliveries.c.next_attempt_at).limit(limit).with_for_update(skip_locked=True)
        claimed = [_delivery(row) for row in (await self._session.execute(query)).mappings()]
        if claimed:
            keys = [(d.event_id, d.consumer) for d in claimed]
            await self._session.execute(
                update(deliveries)
                .where(tuple_(deliveries.c.event_id, deliveries.c.consumer).in_(keys))
                .values(next_attempt_at=lease_until)
            )
        for delivery in claimed:
            delivery.next_attempt_at = lease_until
        return claimed

    async def list_by_status(self, status: DeliveryStatus, limit: int) -> list[Delivery]:
        query = (
            select(deliveries).where(deliveries.c.status == status.value).order_by(deliveries.c.updated_at).limit(limit)
        )
        return [_delivery(row) for row in (await self._session.execute(query)).mappings()]


_SAVE = (
    update(deliveries)
    .where(deliveries.c.event_id == bindparam("b_event_id"), deliveries.c.consumer == bindparam("b_consumer"))
    .values({name: bindparam(name) for name in ("status", "attempts", "next_attempt_at", "last_error", "updated_at")})
)


def _row(d: Delivery) -> dict[str, Any]:
    return {
        "event_id": d.event_id,
        "consumer": d.consumer,
        "status": d.status.value,
        "attempts": d.attempts,
        "next_attempt_at": d.next_attempt_at,
        "last_error": d.last_error,
        "updated_at": d.updated_at,
    }


def _delivery(row: Any) -> Delivery:
    return Delivery(
        event_id=row["event_id"],
        consumer=row["consumer"],
        status=DeliveryStatus(row["status"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
        updated_at=row["updated_at"],
    )
