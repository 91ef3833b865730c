"""The embedded seed: the editor's plans with a licensing policy each, added once."""

from __future__ import annotations

from uuid import UUID

from dishka import AsyncContainer

from devforge.application.billing.ports import CatalogRepository
from devforge.application.licensing.ports import PolicyRepository
from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.domain.billing.catalog import BillingInterval
from devforge.domain.billing.currency import Currency


async def test_the_plans_are_seeded_once_with_their_policies(memory_container: AsyncContainer) -> None:
    assert await seed_editor_plans(memory_container) == ["editor-pro", "editor-perpetual"]
    assert await seed_editor_plans(memory_container) == []
    async with memory_container() as scope:
        catalog, policies = await scope.get(CatalogRepository), await scope.get(PolicyRepository)
        pro = await catalog.get_by_code("editor-pro")
        assert pro is not None and pro.policy_id is not None
        assert await policies.get(UUID(pro.policy_id)) is not None
        assert [p.interval for p in pro.prices_in(Currency("JPY"))] == [BillingInterval.MONTH, BillingInterval.YEAR]
