"""The context's table (on a metadata of its own: the migrations do not know it) and its
repository on SQL and in memory."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import Column, MetaData, String, Table, Uuid, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.memory.store import Tables

throwaway_metadata = MetaData()
throwaway_pings = Table(
    "throwaway_pings",
    throwaway_metadata,
    Column("id", Uuid, primary_key=True),
    Column("source", String(100), nullable=False),
)


class SqlaPings:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, source: str) -> None:
        await self._session.execute(insert(throwaway_pings).values(id=uuid4(), source=source))

    async def count(self) -> int:
        return int(await self._session.scalar(select(func.count()).select_from(throwaway_pings)) or 0)


class InMemoryPings:
    def __init__(self, tables: Tables) -> None:
        self._table = tables.table("throwaway_pings")

    async def add(self, source: str) -> None:
        self._table[uuid4()] = source

    async def count(self) -> int:
        return len(self._table)
