from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.in_transaction import InTransaction
from devforge.adapters.persistence.tables import outbox
from devforge.application.common.integration_events import EventEnvelope

# The schema version rides in the payload column under a key no schema field can have (fields
# are identifiers); a row written before versions existed has none and is version 1.
VERSION_KEY = "$version"
_INSERT = insert(outbox)
_INSERT_ONE = InTransaction(_INSERT)  # its columns from the row it is given (``in_transaction.py``)


class SqlaOutbox:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, events: Sequence[EventEnvelope]) -> None:
        """One statement either way. One event (an activation's) goes on PostgreSQL straight to
        asyncpg in the session's transaction (``in_transaction.py``), which costs less Python than
        SQLAlchemy's execution, and its executemany path for a list of one most of all."""
        rows = [
            {
                "event_id": e.event_id,
                "name": e.name,
                "occurred_at": e.occurred_at,
                "payload": {**e.payload, VERSION_KEY: e.version},
            }
            for e in events
        ]
        if len(rows) == 1:
            await _INSERT_ONE.rowcount(self._session, rows[0])
        elif rows:
            await self._session.execute(_INSERT, rows)

    async def claim_unrelayed(self, limit: int) -> list[EventEnvelope]:
        rows = await self._session.execute(
            select(outbox)
            .where(outbox.c.relayed_at.is_(None))
            .order_by(outbox.c.occurred_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_envelope(row) for row in rows.mappings()]

    async def mark_relayed(self, event_ids: Sequence[UUID]) -> None:
        if event_ids:
            await self._session.execute(
                update(outbox).where(outbox.c.event_id.in_(event_ids)).values(relayed_at=datetime.now(UTC))
            )

    async def get(self, event_id: UUID) -> EventEnvelope | None:
        row = (await self._session.execute(select(outbox).where(outbox.c.event_id == event_id))).mappings().first()
        return _envelope(row) if row else None

    async def get_many(self, event_ids: Sequence[UUID]) -> list[EventEnvelope]:
        if not event_ids:
            return []
        rows = await self._session.execute(select(outbox).where(outbox.c.event_id.in_(list(event_ids))))
        return [_envelope(row) for row in rows.mappings()]


def _envelope(row: Any) -> EventEnvelope:
    payload = dict(row["payload"])
    version = payload.pop(VERSION_KEY, 1)
    return EventEnvelope(row["event_id"], row["name"], row["occurred_at"], payload, version)
