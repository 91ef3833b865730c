"""The two_factor and two_factor_recovery_codes tables <-> the TwoFactor aggregate."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables import two_factor, two_factor_recovery_codes
from devforge.domain.identity.errors import TwoFactorChangedConcurrently
from devforge.domain.identity.two_factor import RecoveryCode, TwoFactor


class SqlaTwoFactorRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, record: TwoFactor) -> None:
        try:
            await self._session.execute(insert(two_factor).values(_row(record)))
        except IntegrityError as clash:
            raise TwoFactorChangedConcurrently("Two-factor changed meanwhile; try again.") from clash
        await self._save_codes(record)

    async def get(self, user_id: UUID, *, for_update: bool = False) -> TwoFactor | None:
        query = select(two_factor).where(two_factor.c.user_id == user_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        if row is None:
            return None
        codes = await self._session.execute(
            select(two_factor_recovery_codes)
            .where(two_factor_recovery_codes.c.user_id == user_id)
            .order_by(two_factor_recovery_codes.c.digest)
        )
        return TwoFactor(
            user_id=row["user_id"],
            sealed_secret=row["sealed_secret"],
            enrolled_at=row["enrolled_at"],
            confirmed_at=row["confirmed_at"],
            last_used_step=row["last_used_step"],
            recovery_codes=[RecoveryCode(c["digest"], c["used_at"]) for c in codes.mappings()],
            version=row["version"],
        )

    async def update(self, record: TwoFactor) -> None:
        """Optimistic check on ``version`` on top of the row lock: SQLite has no FOR UPDATE."""
        result = await self._session.execute(
            update(two_factor)
            .where(two_factor.c.user_id == record.user_id, two_factor.c.version == record.version)
            .values(_row(record) | {"version": record.version + 1})
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise TwoFactorChangedConcurrently("Two-factor changed meanwhile; try again.")
        record.version += 1
        await self._session.execute(
            delete(two_factor_recovery_codes).where(two_factor_recovery_codes.c.user_id == record.user_id)
        )
        await self._save_codes(record)

    async def remove(self, user_id: UUID) -> None:
        await self._session.execute(
            delete(two_factor_recovery_codes).where(two_factor_recovery_codes.c.user_id == user_id)
        )
        await self._session.execute(delete(two_factor).where(two_factor.c.user_id == user_id))

    async def _save_codes(self, record: TwoFactor) -> None:
        if record.recovery_codes:
            await self._session.execute(
                insert(two_factor_recovery_codes),
                [{"digest": c.digest, "user_id": record.user_id, "used_at": c.used_at} for c in record.recovery_codes],
            )


def _row(record: TwoFactor) -> dict[str, Any]:
    return {
        "user_id": record.user_id,
        "sealed_secret": record.sealed_secret,
        "enrolled_at": record.enrolled_at,
        "confirmed_at": record.confirmed_at,
        "last_used_step": record.last_used_step,
        "version": record.version,
    }
