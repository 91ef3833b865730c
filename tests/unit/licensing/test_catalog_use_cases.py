"""The catalog use cases on in-memory adapters: a developer manages their own products, policies
and entitlements, an admin everyone's, a stranger finds nothing (404, like a missing id), and
nothing anyone depends on can be deleted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.application.common.actor import Actor
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.define_entitlement import DefineEntitlement, DefineEntitlementHandler
from devforge.application.licensing.delete_entitlement import DeleteEntitlementHandler
from devforge.application.licensing.delete_policy import DeletePolicyHandler
from devforge.application.licensing.delete_product import DeleteProductHandler
from devforge.application.licensing.errors import (
    EntitlementCodeTaken,
    EntitlementInUse,
    EntitlementNotFound,
    PolicyInUse,
    PolicyNotFound,
    ProductInUse,
    ProductNotFound,
)
from devforge.application.licensing.generate_license import GenerateLicense, GenerateLicenseHandler
from devforge.application.licensing.get_license import GetLicense
from devforge.application.licensing.get_policy import GetPolicy
from devforge.application.licensing.get_product import GetProduct
from devforge.application.licensing.list_entitlements import ListEntitlements
from devforge.application.licensing.list_policies import ListPolicies
from devforge.application.licensing.list_products import ListProducts
from devforge.application.licensing.rename_product import RenameProduct, RenameProductHandler
from devforge.application.licensing.update_policy import UpdatePolicy, UpdatePolicyHandler
from devforge.domain.licensing.errors import EntitlementUndefined, PolicyInvalid, ProductInvalid
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.shared.errors import RuleViolated
from tests.unit.licensing.use_case_steps import customer_account, generate, product_and_policy

pytestmark = pytest.mark.asyncio

DEVELOPER, STRANGER, ADMIN = Actor(uuid4()), Actor(uuid4()), Actor.holding(uuid4(), LicensingPermission.ADMIN)


async def run(container: AsyncContainer, handler: type[Any], *args: Any, **kwargs: Any) -> Any:
    """One use case in one request scope, as the HTTP shell runs it."""
    async with container() as scope:
        return await (await scope.get(handler))(*args, **kwargs)


async def entitlement(container: AsyncContainer, product_id: UUID, code: str, caller: Actor = DEVELOPER) -> Any:
    return await run(container, DefineEntitlementHandler, caller, DefineEntitlement(product_id, code, code.title()))


async def test_the_owner_and_admins_see_a_product_and_a_stranger_gets_404(memory_container: AsyncContainer) -> None:
    product_id, policy_id = await product_and_policy(memory_container, DEVELOPER)
    assert (await run(memory_container, GetProduct, DEVELOPER, product_id)).id == product_id
    assert (await run(memory_container, GetProduct, ADMIN, product_id)).id == product_id
    assert (await run(memory_container, GetPolicy, ADMIN, policy_id)).id == policy_id
    for use_case, args, missing in [
        (GetProduct, (product_id,), ProductNotFound),
        (ListPolicies, (product_id,), ProductNotFound),
        (ListEntitlements, (product_id,), ProductNotFound),
        (GetPolicy, (policy_id,), PolicyNotFound),
        (DeletePolicyHandler, (policy_id,), PolicyNotFound),
        (DeleteProductHandler, (product_id,), ProductNotFound),
        (RenameProductHandler, (RenameProduct(product_id, "Mine now"),), ProductNotFound),
        (UpdatePolicyHandler, (UpdatePolicy(policy_id, {"name": "Mine"}),), PolicyNotFound),
        (DefineEntitlementHandler, (DefineEntitlement(product_id, "ai", "AI"),), ProductNotFound),
    ]:
        with pytest.raises(missing):
            await run(memory_container, use_case, STRANGER, *args)
        with pytest.raises(missing):  # exactly what a missing id answers
            await run(memory_container, use_case, DEVELOPER, *[_missing(arg) for arg in args])
    assert (await run(memory_container, GetProduct, DEVELOPER, product_id)).name == "Dev Forge Editor"


def _missing(arg: Any) -> Any:
    if isinstance(arg, UUID):
        return uuid4()
    if isinstance(arg, RenameProduct):
        return RenameProduct(uuid4(), arg.name)
    if isinstance(arg, UpdatePolicy):
        return UpdatePolicy(uuid4(), arg.changes)
    return DefineEntitlement(uuid4(), arg.code, arg.name)


async def test_products_are_listed_mine_only_oldest_first_and_an_admin_sees_all_page_by_page(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    mine = []
    for _ in range(3):
        mine.append((await product_and_policy(memory_container, DEVELOPER))[0])
        clock.advance(timedelta(seconds=1))
    theirs, _ = await product_and_policy(memory_container, STRANGER)
    first = await run(memory_container, ListProducts, DEVELOPER, limit=2)
    assert [p.id for p in first.items] == mine[:2] and first.next_after == mine[1]
    second = await run(memory_container, ListProducts, DEVELOPER, limit=2, after=first.next_after)
    assert [p.id for p in second.items] == mine[2:] and second.next_after is None
    everyone = await run(memory_container, ListProducts, ADMIN, limit=100)
    assert [p.id for p in everyone.items] == [*mine, theirs]
    with pytest.raises(RuleViolated) as refused:
        await run(memory_container, ListProducts, DEVELOPER, after=theirs)
    assert refused.value.field == "after"
    with pytest.raises(RuleViolated):
        await run(memory_container, ListProducts, DEVELOPER, limit=101)


async def test_a_rename_keeps_the_code_and_is_checked_like_a_new_name(memory_container: AsyncContainer) -> None:
    product_id, _ = await product_and_policy(memory_container, DEVELOPER)
    before = await run(memory_container, GetProduct, DEVELOPER, product_id)
    renamed = await run(memory_container, RenameProductHandler, ADMIN, RenameProduct(product_id, " Dev Forge 2 "))
    assert (renamed.name, renamed.code) == ("Dev Forge 2", before.code)
    with pytest.raises(ProductInvalid) as refused:
        await run(memory_container, RenameProductHandler, DEVELOPER, RenameProduct(product_id, " "))
    assert refused.value.field == "name"
    assert (await run(memory_container, GetProduct, DEVELOPER, product_id)).name == "Dev Forge 2"


async def test_a_policy_change_is_held_to_the_rules_and_leaves_issued_licenses_alone(
    memory_container: AsyncContainer,
) -> None:
    product_id, policy_id = await product_and_policy(memory_container, DEVELOPER, floating=True, max_machines=3)
    issued = await generate(memory_container, DEVELOPER, policy_id, await customer_account(memory_container))
    changed = await run(
        memory_container, UpdatePolicyHandler, DEVELOPER, UpdatePolicy(policy_id, {"max_machines": 10, "name": "Team"})
    )
    assert (changed.max_machines, changed.name, changed.floating) == (10, "Team", True)
    assert (await run(memory_container, GetPolicy, DEVELOPER, policy_id)) == changed
    license = await run(memory_container, GetLicense, ADMIN, license_id=issued.license.id)
    assert license.max_machines == 3  # the snapshot it was issued with
    later = await generate(memory_container, DEVELOPER, policy_id, await customer_account(memory_container))
    assert later.license.max_machines == 10
    for changes, field in [({"floating": False}, "max_machines"), ({"product_id": uuid4()}, "product_id")]:
        with pytest.raises(PolicyInvalid) as refused:
            await run(memory_container, UpdatePolicyHandler, DEVELOPER, UpdatePolicy(policy_id, changes))
        assert refused.value.field == field
    assert [p.id for p in await run(memory_container, ListPolicies, DEVELOPER, product_id)] == [policy_id]


async def test_policies_and_licenses_grant_only_entitlements_their_product_defines(
    memory_container: AsyncContainer,
) -> None:
    product_id, policy_id = await product_and_policy(memory_container, DEVELOPER)
    with pytest.raises(EntitlementUndefined) as refused:
        await run(
            memory_container, CreatePolicyHandler, DEVELOPER, CreatePolicy(product_id, "Pro", {"entitlements": {"ai"}})
        )
    assert refused.value.field == "entitlements"
    with pytest.raises(EntitlementUndefined):
        await run(memory_container, UpdatePolicyHandler, DEVELOPER, UpdatePolicy(policy_id, {"entitlements": {"ai"}}))
    with pytest.raises(EntitlementUndefined):
        await generate_with_extras(memory_container, policy_id, {"ai"})
    await entitlement(memory_container, product_id, "AI")
    policy = await run(
        memory_container, CreatePolicyHandler, DEVELOPER, CreatePolicy(product_id, "Pro AI", {"entitlements": {"ai"}})
    )
    assert policy.entitlements == {"ai"}
    assert (await generate_with_extras(memory_container, policy_id, {"ai"})).license.entitlements == ("ai",)


async def generate_with_extras(container: AsyncContainer, policy_id: UUID, extras: set[str]) -> Any:
    command = GenerateLicense(policy_id, await customer_account(container), extra_entitlements=frozenset(extras))
    return await run(container, GenerateLicenseHandler, DEVELOPER, command)


async def test_an_entitlement_code_is_defined_once_per_product_and_listed_by_code(
    memory_container: AsyncContainer,
) -> None:
    product_id, _ = await product_and_policy(memory_container, DEVELOPER)
    other_id, _ = await product_and_policy(memory_container, DEVELOPER)
    await entitlement(memory_container, product_id, "sync")
    await entitlement(memory_container, product_id, "ai", caller=ADMIN)
    await entitlement(memory_container, other_id, "ai")
    with pytest.raises(EntitlementCodeTaken):
        await entitlement(memory_container, product_id, " AI ")
    listed = await run(memory_container, ListEntitlements, DEVELOPER, product_id)
    assert [(e.code, e.name) for e in listed] == [("ai", "Ai"), ("sync", "Sync")]


async def test_nothing_in_use_is_deleted_and_what_is_free_goes(memory_container: AsyncContainer) -> None:
    product_id, policy_id = await product_and_policy(memory_container, DEVELOPER)
    ai = await entitlement(memory_container, product_id, "ai")
    granting = await run(
        memory_container, CreatePolicyHandler, DEVELOPER, CreatePolicy(product_id, "AI", {"entitlements": {"ai"}})
    )
    await generate(memory_container, DEVELOPER, policy_id, await customer_account(memory_container))
    with pytest.raises(EntitlementInUse):
        await run(memory_container, DeleteEntitlementHandler, DEVELOPER, ai.id)
    with pytest.raises(PolicyInUse):
        await run(memory_container, DeletePolicyHandler, DEVELOPER, policy_id)
    with pytest.raises(ProductInUse):
        await run(memory_container, DeleteProductHandler, DEVELOPER, product_id)

    await run(memory_container, DeletePolicyHandler, DEVELOPER, granting.id)
    await run(memory_container, DeleteEntitlementHandler, ADMIN, ai.id)
    assert await run(memory_container, ListEntitlements, DEVELOPER, product_id) == []
    with pytest.raises(EntitlementNotFound):
        await run(memory_container, DeleteEntitlementHandler, DEVELOPER, ai.id)

    free_id, free_policy_id = await product_and_policy(memory_container, DEVELOPER)
    await entitlement(memory_container, free_id, "beta")
    with pytest.raises(ProductInUse):
        await run(memory_container, DeleteProductHandler, DEVELOPER, free_id)
    await run(memory_container, DeletePolicyHandler, DEVELOPER, free_policy_id)
    await run(memory_container, DeleteProductHandler, DEVELOPER, free_id)
    with pytest.raises(ProductNotFound):
        await run(memory_container, GetProduct, ADMIN, free_id)


async def test_a_stranger_cannot_delete_someone_elses_entitlement(memory_container: AsyncContainer) -> None:
    product_id, _ = await product_and_policy(memory_container, DEVELOPER)
    ai = await entitlement(memory_container, product_id, "ai")
    with pytest.raises(EntitlementNotFound):
        await run(memory_container, DeleteEntitlementHandler, STRANGER, ai.id)
    assert [e.id for e in await run(memory_container, ListEntitlements, ADMIN, product_id)] == [ai.id]
