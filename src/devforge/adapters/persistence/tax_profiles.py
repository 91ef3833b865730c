"""The billing_tax_profiles table <-> ``TaxProfile`` (the TIN sealed as it was given)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.read_path import ReadPath, Row
from devforge.adapters.persistence.tables.billing_tax import billing_tax_profiles as table
from devforge.domain.billing.tax_profile import SealedTin, TaxForm, TaxProfile, TinKind, TreatyClaim


class SqlaTaxProfileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, publisher_id: UUID) -> TaxProfile | None:
        row = (await self._session.execute(select(table).where(table.c.publisher_id == publisher_id))).mappings()
        found = row.first()
        return _profile(found) if found else None

    async def save(self, profile: TaxProfile) -> None:
        """Delete then insert in one transaction: the same on SQLite and PostgreSQL."""
        await self._session.execute(delete(table).where(table.c.publisher_id == profile.publisher_id))
        await self._session.execute(insert(table).values(_row(profile)))

    async def all(self) -> list[TaxProfile]:
        rows = await self._session.execute(select(table).order_by(table.c.publisher_id))
        return [_profile(row) for row in rows.mappings()]


class SqlaTaxProfileReads:
    """The common read path (``read_path.py``): one statement each, no ORM session."""

    def __init__(self, reads: ReadPath) -> None:
        self._one = reads.prepare(select(table).where(table.c.publisher_id == bindparam("publisher_id")))
        self._all = reads.prepare(select(table).order_by(table.c.publisher_id))

    async def get(self, publisher_id: UUID) -> TaxProfile | None:
        row = await self._one.row(publisher_id=publisher_id)
        return _profile(row) if row else None

    async def all(self) -> list[TaxProfile]:
        return [_profile(row) for row in await self._all.rows()]


def _row(profile: TaxProfile) -> dict[str, Any]:
    tin, treaty = profile.tin, profile.treaty
    return {
        "publisher_id": profile.publisher_id,
        "form": profile.form.value,
        "name": profile.name,
        "entity_type": profile.entity_type,
        "country": profile.country,
        "address": profile.address,
        "tin_kind": tin.kind.value if tin else None,
        "tin_last4": tin.last4 if tin else None,
        "tin_sealed": tin.sealed if tin else None,
        "treaty_article": treaty.article if treaty else None,
        "treaty_rate_bp": treaty.rate_bp if treaty else None,
        "signer_name": profile.signer_name,
        "certified_at": profile.certified_at,
    }


def _profile(row: RowMapping | Row) -> TaxProfile:
    tin = SealedTin(TinKind(row["tin_kind"]), row["tin_last4"], row["tin_sealed"]) if row["tin_sealed"] else None
    treaty = TreatyClaim(row["treaty_article"], row["treaty_rate_bp"]) if row["treaty_article"] else None
    return TaxProfile(
        publisher_id=row["publisher_id"],
        form=TaxForm(row["form"]),
        name=row["name"],
        entity_type=row["entity_type"],
        country=row["country"],
        address=row["address"],
        tin=tin,
        treaty=treaty,
        signer_name=row["signer_name"],
        certified_at=row["certified_at"],
    )
