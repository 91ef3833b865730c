"""The editor's plans, for a fresh embedded install: ``editor-pro`` (monthly or yearly) and a
one-time ``editor-perpetual``, in USD (tax added), EUR and JPY (tax included), each with the
licensing policy its licenses are issued from.

The seed lives in the composition root because it crosses contexts: it makes the licensing
product and policies through licensing's own use cases and hands their ids to billing's, so
neither context imports the other. Running it twice adds nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from dishka import AsyncContainer

from devforge.application.billing.manage_catalog import (
    CreateCatalogProduct,
    CreateCatalogProductHandler,
    SetPrice,
    SetPriceHandler,
)
from devforge.application.billing.ports import CatalogRepository
from devforge.application.common.actor import Actor
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.domain.billing.catalog import BillingInterval, ProductKind
from devforge.domain.licensing.permissions import LicensingPermission

PLATFORM = Actor.holding(UUID("00000000-0000-0000-0000-00000000d0f0"), LicensingPermission.ADMIN)
"""The platform itself, owning the products it sells."""


@dataclass(frozen=True)
class Plan:
    code: str
    name: str
    policy: dict[str, Any]
    prices: tuple[tuple[str, BillingInterval, int, bool], ...]


PLANS = (
    Plan(
        "editor-pro",
        "Dev Forge Pro",
        {"floating": True, "max_machines": 3},
        (
            ("USD", BillingInterval.MONTH, 1200, False),
            ("USD", BillingInterval.YEAR, 12000, False),
            ("EUR", BillingInterval.MONTH, 1200, True),
            ("EUR", BillingInterval.YEAR, 12000, True),
            ("JPY", BillingInterval.MONTH, 1800, True),
            ("JPY", BillingInterval.YEAR, 18000, True),
        ),
    ),
    Plan(
        "editor-perpetual",
        "Dev Forge Perpetual",
        {"floating": True, "max_machines": 2},
        (
            ("USD", BillingInterval.ONE_TIME, 29900, False),
            ("EUR", BillingInterval.ONE_TIME, 29900, True),
            ("JPY", BillingInterval.ONE_TIME, 45000, True),
        ),
    ),
)


async def seed_editor_plans(container: AsyncContainer) -> list[str]:
    """The codes of the plans it created (none when all exist)."""
    created = []
    for plan in PLANS:
        async with container() as scope:
            if await (await scope.get(CatalogRepository)).get_by_code(plan.code) is not None:
                continue
        policy_id = await _licensing_policy(container, plan)
        async with container() as scope:
            await (await scope.get(CreateCatalogProductHandler))(
                CreateCatalogProduct(plan.code, plan.name, ProductKind.EDITOR_PLAN, str(policy_id))
            )
        for currency, interval, amount, inclusive in plan.prices:
            async with container() as scope:
                await (await scope.get(SetPriceHandler))(SetPrice(plan.code, currency, interval, amount, inclusive))
        created.append(plan.code)
    return created


async def _licensing_policy(container: AsyncContainer, plan: Plan) -> UUID:
    async with container() as scope:
        product = await (await scope.get(CreateProductHandler))(
            # Licensing codes are unique: a suffix keeps a half-finished earlier seed from blocking.
            PLATFORM,
            CreateProduct(f"{plan.code}-{uuid4().hex[:6]}", plan.name),
        )
    async with container() as scope:
        policy = await (await scope.get(CreatePolicyHandler))(
            PLATFORM, CreatePolicy(product.id, plan.name, plan.policy)
        )
    return policy.id
