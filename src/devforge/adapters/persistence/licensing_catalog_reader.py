"""Licensing's catalogue pages on the common read path (``read_path.py``): one statement per
call, the product joined to what the page lists, on a pooled connection, no session."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import and_, bindparam, or_, select

from devforge.adapters.persistence.read_path import PreparedRead, ReadPath, Row
from devforge.adapters.persistence.tables import license_entitlements, license_policies, license_products
from devforge.application.licensing.codec import policy_from_dict
from devforge.domain.licensing.entitlement import Entitlement
from devforge.domain.licensing.policy import Policy
from devforge.domain.licensing.product import Product

_PRODUCT_COLUMNS = ("id", "owner_id", "code", "name", "created_at")
_ENTITLEMENT_COLUMNS = ("id", "product_id", "code", "name", "created_at")
_P = tuple(license_products.c[name].label(f"p_{name}") for name in _PRODUCT_COLUMNS)
_PRODUCT_ID = license_products.c.id == bindparam("product_id")
_BOTH = (False, True)

_PRODUCT = select(*_P).where(_PRODUCT_ID)
_WITH_POLICIES = (
    select(*_P, license_policies.c.settings)
    .select_from(license_products.outerjoin(license_policies, license_policies.c.product_id == license_products.c.id))
    .where(_PRODUCT_ID)
    .order_by(license_policies.c.name, license_policies.c.id)
)
_WITH_ENTITLEMENTS = (
    select(*_P, *(license_entitlements.c[name].label(f"e_{name}") for name in _ENTITLEMENT_COLUMNS))
    .select_from(
        license_products.outerjoin(license_entitlements, license_entitlements.c.product_id == license_products.c.id)
    )
    .where(_PRODUCT_ID)
    .order_by(license_entitlements.c.code)
)
_POLICY = (
    select(*_P, license_policies.c.settings)
    .select_from(license_policies.join(license_products, license_products.c.id == license_policies.c.product_id))
    .where(license_policies.c.id == bindparam("policy_id"))
)


def _page(*, mine: bool, after: bool) -> Any:
    column = license_products.c
    query = select(*_P).order_by(column.created_at, column.id).limit(bindparam("limit"))
    if mine:
        query = query.where(column.owner_id == bindparam("owner_id"))
    if after:
        at, last = bindparam("after_at", type_=column.created_at.type), bindparam("after_id", type_=column.id.type)
        query = query.where(or_(column.created_at > at, and_(column.created_at == at, column.id > last)))
    return query


class SqlaLicensingCatalogReader:
    def __init__(self, reads: ReadPath) -> None:
        self._product, self._policy = reads.prepare(_PRODUCT), reads.prepare(_POLICY)
        self._with_policies, self._with_entitlements = reads.prepare(_WITH_POLICIES), reads.prepare(_WITH_ENTITLEMENTS)
        self._pages: dict[tuple[bool, bool], PreparedRead] = {
            (mine, after): reads.prepare(_page(mine=mine, after=after)) for mine in _BOTH for after in _BOTH
        }

    async def product(self, product_id: UUID) -> Product | None:
        row = await self._product.row(product_id=product_id)
        return None if row is None else _product(row)

    async def products(self, *, owner_id: UUID | None, limit: int, after: Product | None = None) -> list[Product]:
        params: dict[str, Any] = {"limit": limit}
        if owner_id is not None:
            params["owner_id"] = owner_id
        if after is not None:
            params |= {"after_at": after.created_at, "after_id": after.id}
        rows = await self._pages[owner_id is not None, after is not None].rows(**params)
        return [_product(row) for row in rows]

    async def product_with_policies(self, product_id: UUID) -> tuple[Product, list[Policy]] | None:
        rows = await self._with_policies.rows(product_id=product_id)
        return _joined(rows, _policy)

    async def product_with_entitlements(self, product_id: UUID) -> tuple[Product, list[Entitlement]] | None:
        rows = await self._with_entitlements.rows(product_id=product_id)
        return _joined(rows, _entitlement)

    async def policy_with_product(self, policy_id: UUID) -> tuple[Policy, Product] | None:
        row = await self._policy.row(policy_id=policy_id)
        return None if row is None else (policy_from_dict(row["settings"]), _product(row))


def _product(row: Row) -> Product:
    return Product(**{name: row[f"p_{name}"] for name in _PRODUCT_COLUMNS})


def _policy(row: Row) -> Policy | None:
    return None if row["settings"] is None else policy_from_dict(row["settings"])


def _entitlement(row: Row) -> Entitlement | None:
    if row["e_id"] is None:
        return None
    return Entitlement(**{name: row[f"e_{name}"] for name in _ENTITLEMENT_COLUMNS})


T = TypeVar("T")


def _joined(rows: Sequence[Row], item: Callable[[Row], T | None]) -> tuple[Product, list[T]] | None:
    """The product's row once per listed item (once, with nulls, when it lists none)."""
    if not rows:
        return None
    return _product(rows[0]), [found for row in rows if (found := item(row)) is not None]
