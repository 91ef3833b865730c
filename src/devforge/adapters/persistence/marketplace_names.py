"""Name claims: one row per (scope, skeleton), whose primary key refuses a second holder."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables.marketplace import marketplace_name_claims as claims_table
from devforge.application.marketplace.name_ports import NameClaim, Scope
from devforge.domain.marketplace.errors import name_squatted


class SqlaNameClaims:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim(self, claims: Sequence[NameClaim]) -> None:
        """``ON CONFLICT DO NOTHING`` waits for a concurrent claim of the same key to commit or
        roll back; then the row that won is read (READ COMMITTED sees it) and named."""
        dialect = self._session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        for claim in claims:
            values = {
                "scope": claim.scope,
                "skeleton": claim.skeleton,
                "name": claim.name,
                "holder_id": claim.holder_id,
            }
            result = await self._session.execute(insert(claims_table).values(values).on_conflict_do_nothing())
            if result.rowcount:  # type: ignore[attr-defined]
                continue
            held = await self.holder_of(claim.scope, claim.skeleton)
            if held is not None and held.holder_id != claim.holder_id:
                raise name_squatted(claim.scope, claim.name, held.name, claim.field)

    async def release(self, scope: Scope, holder_id: UUID, *, keep: Sequence[str]) -> None:
        await self._session.execute(
            delete(claims_table).where(
                claims_table.c.scope == scope,
                claims_table.c.holder_id == holder_id,
                claims_table.c.skeleton.not_in(list(keep)),
            )
        )

    async def holder_of(self, scope: Scope, skeleton: str) -> NameClaim | None:
        query = select(claims_table).where(claims_table.c.scope == scope, claims_table.c.skeleton == skeleton)
        row = (await self._session.execute(query)).mappings().first()
        if row is None:
            return None
        return NameClaim(row["scope"], row["skeleton"], row["name"], row["holder_id"], field="")

    async def all_claims(self, scope: Scope) -> list[NameClaim]:
        query = select(claims_table).where(claims_table.c.scope == scope).order_by(claims_table.c.skeleton)
        rows = (await self._session.execute(query)).mappings()
        return [NameClaim(row["scope"], row["skeleton"], row["name"], row["holder_id"], field="") for row in rows]
