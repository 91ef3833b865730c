"""Licensing's catalog on SQL: ``license_entitlements``, and what refers to products and policies."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import delete, exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.tables import license_entitlements, licenses
from devforge.application.licensing.errors import EntitlementCodeTaken
from devforge.domain.licensing.entitlement import Entitlement

_COLUMNS = ("id", "product_id", "code", "name", "created_at")


class SqlaEntitlementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, entitlement: Entitlement) -> None:
        """The unique (product_id, code) decides, even against a concurrent transaction."""
        values = {name: getattr(entitlement, name) for name in _COLUMNS}
        try:
            await self._session.execute(insert(license_entitlements).values(values))
        except IntegrityError as clash:
            raise EntitlementCodeTaken("The product defines this code already.", field="code") from clash

    async def get(self, entitlement_id: UUID) -> Entitlement | None:
        query = select(license_entitlements).where(license_entitlements.c.id == entitlement_id)
        row = (await self._session.execute(query)).mappings().first()
        return Entitlement(**row) if row else None

    async def list_for_product(self, product_id: UUID) -> list[Entitlement]:
        column = license_entitlements.c
        query = select(license_entitlements).where(column.product_id == product_id).order_by(column.code)
        return [Entitlement(**row) for row in (await self._session.execute(query)).mappings()]

    async def remove(self, entitlement_id: UUID) -> None:
        await self._session.execute(delete(license_entitlements).where(license_entitlements.c.id == entitlement_id))


class SqlaLicenseReferences:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def product_has_licenses(self, product_id: UUID) -> bool:
        return bool(await self._session.scalar(select(exists().where(licenses.c.product_id == product_id))))

    async def policy_has_licenses(self, policy_id: UUID) -> bool:
        return bool(await self._session.scalar(select(exists().where(licenses.c.policy_id == policy_id))))
