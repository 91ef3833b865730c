"""Steps for licensing use-case tests: a developer's product and policy, a customer's license."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

from dishka import AsyncContainer

from devforge.application.common.actor import Actor
from devforge.application.licensing.activate_license import ActivateLicense, ActivateLicenseHandler
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.licensing.generate_license import GenerateLicense, GenerateLicenseHandler
from devforge.application.licensing.views import GeneratedLicense, MachineView
from devforge.domain.identity.roles import Role
from tests.access_world import add_account


@dataclass(frozen=True)
class World:
    developer: Actor
    customer: Actor
    product_id: UUID
    policy_id: UUID
    issued: GeneratedLicense

    @property
    def key(self) -> str:
        return self.issued.key


async def product_and_policy(container: AsyncContainer, developer: Actor, **settings: Any) -> tuple[UUID, UUID]:
    code = f"editor-{uuid4().hex[:8]}"
    async with container() as scope:
        product = await (await scope.get(CreateProductHandler))(developer, CreateProduct(code, "Dev Forge Editor"))
    async with container() as scope:
        policy = await (await scope.get(CreatePolicyHandler))(developer, CreatePolicy(product.id, "Pro", settings))
    return product.id, policy.id


async def customer_account(container: AsyncContainer) -> UUID:
    """Licenses go to accounts that exist: a new customer's id."""
    return await add_account(container, f"customer-{uuid4().hex[:8]}@example.com", Role.CUSTOMER)


async def generate(container: AsyncContainer, caller: Actor, policy_id: UUID, user_id: UUID) -> GeneratedLicense:
    async with container() as scope:
        return await (await scope.get(GenerateLicenseHandler))(caller, GenerateLicense(policy_id, user_id))


async def world(container: AsyncContainer, **settings: Any) -> World:
    developer, customer = Actor(uuid4()), Actor(await customer_account(container))
    settings = {"floating": True, "max_machines": 3, "deactivation_allowance": 1} | settings
    product_id, policy_id = await product_and_policy(container, developer, **settings)
    issued = await generate(container, developer, policy_id, customer.user_id)
    return World(developer, customer, product_id, policy_id, issued)


async def activate(container: AsyncContainer, key: str, fingerprint: str) -> MachineView:
    async with container() as scope:
        return (await (await scope.get(ActivateLicenseHandler))(ActivateLicense(key, fingerprint))).machine
