"""Licensing use cases on in-memory adapters: who may see and change a license, keys shown once,
race-free-by-rule activation, deactivation allowance, heartbeats and the periodic cull."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.store import MemoryStore
from devforge.application.billing.published import OrderLineV1, OrderPaidV1
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.activate_license import ActivateLicense, ActivateLicenseHandler
from devforge.application.licensing.create_policy import CreatePolicy, CreatePolicyHandler
from devforge.application.licensing.create_product import CreateProduct, CreateProductHandler
from devforge.application.licensing.cull_dead_machines import CullDeadMachines
from devforge.application.licensing.deactivate_machine import DeactivateMachine, DeactivateMachineHandler
from devforge.application.licensing.errors import AccountNotFound, PolicyNotFound, ProductCodeTaken, ProductNotFound
from devforge.application.licensing.generate_license import GenerateLicense, GenerateLicenseHandler
from devforge.application.licensing.get_license import GetLicense
from devforge.application.licensing.list_my_licenses import ListMyLicenses
from devforge.application.licensing.ping_heartbeat import PingHeartbeat, PingHeartbeatHandler
from devforge.application.licensing.ports import LicenseKeyDigests
from devforge.application.licensing.reinstate_license import ReinstateLicenseHandler
from devforge.application.licensing.renew_license import RenewLicenseHandler
from devforge.application.licensing.revoke_license import RevokeLicenseHandler
from devforge.application.licensing.suspend_license import SuspendLicenseHandler
from devforge.application.licensing.when_order_paid_issue_license import WhenOrderPaidIssueLicense
from devforge.domain.licensing.errors import (
    DeactivationLimitExceeded,
    LicenseKeyMalformed,
    LicenseNotFound,
    LicenseRevoked,
    LicenseSuspended,
    MachineLimitExceeded,
    PolicyInvalid,
)
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.permissions import LicensingPermission
from devforge.domain.shared.errors import NotPermitted
from tests.unit.licensing.builders import NOW
from tests.unit.licensing.use_case_steps import activate, customer_account, generate, product_and_policy, world

pytestmark = pytest.mark.asyncio


async def test_the_full_key_is_answered_once_and_only_its_digest_and_prefix_are_stored(
    memory_container: AsyncContainer,
) -> None:
    w = await world(memory_container)
    digests = await memory_container.get(LicenseKeyDigests)
    store = await memory_container.get(MemoryStore)
    (stored,) = store.table("licensing_licenses").values()
    assert stored.key_digest == digests.digest(w.key) != w.key
    assert stored.key_prefix == w.issued.license.key_prefix == w.key[:6]
    assert w.key not in repr(vars(stored))
    async with memory_container() as scope:
        view = await (await scope.get(GetLicense))(w.customer, key=w.key.lower().replace("-", " "))
    assert view.id == w.issued.license.id and not hasattr(view, "key")


async def test_someone_elses_license_answers_like_a_missing_one_even_with_the_key(
    memory_container: AsyncContainer,
) -> None:
    w = await world(memory_container)
    stranger, admin = Actor(uuid4()), Actor.holding(uuid4(), LicensingPermission.ADMIN)
    async with memory_container() as scope:
        get = await scope.get(GetLicense)
        with pytest.raises(LicenseNotFound):
            await get(stranger, key=w.key)
        with pytest.raises(LicenseNotFound):
            await get(stranger, license_id=w.issued.license.id)
        assert (await get(admin, license_id=w.issued.license.id)).id == w.issued.license.id
        assert (await get(w.customer, license_id=w.issued.license.id)).id == w.issued.license.id
        assert (await get(w.developer, key=w.key)).id == w.issued.license.id  # the product's owner


async def test_a_mistyped_key_is_refused_before_any_lookup(memory_container: AsyncContainer) -> None:
    w = await world(memory_container)
    typo = w.key[:-1] + ("0" if w.key[-1] != "0" else "1")
    with pytest.raises(LicenseKeyMalformed):
        await activate(memory_container, typo, "laptop")


async def test_my_licenses_lists_only_mine_oldest_first(memory_container: AsyncContainer, clock: ManualClock) -> None:
    w = await world(memory_container)
    clock.advance(timedelta(seconds=1))
    await generate(memory_container, w.developer, w.policy_id, await customer_account(memory_container))
    second = await generate(memory_container, w.developer, w.policy_id, w.customer.user_id)
    async with memory_container() as scope:
        mine = await (await scope.get(ListMyLicenses))(w.customer)
    assert [v.id for v in mine] == [w.issued.license.id, second.license.id]


async def test_only_the_product_owner_or_an_admin_makes_policies_and_licenses(
    memory_container: AsyncContainer,
) -> None:
    w = await world(memory_container)
    stranger, admin = Actor(uuid4()), Actor.holding(uuid4(), LicensingPermission.ADMIN)
    async with memory_container() as scope:
        with pytest.raises(ProductNotFound):
            await (await scope.get(CreatePolicyHandler))(stranger, CreatePolicy(w.product_id, "Sneaky"))
    with pytest.raises(PolicyNotFound):
        await generate(memory_container, stranger, w.policy_id, stranger.user_id)
    assert (await generate(memory_container, admin, w.policy_id, await customer_account(memory_container))).key


async def test_a_policy_issues_only_for_the_product_the_caller_names(memory_container: AsyncContainer) -> None:
    """The rule the HTTP route relies on lives in the use case, so every caller gets it."""
    w = await world(memory_container)
    other_product, _ = await product_and_policy(memory_container, w.developer)
    customer = await customer_account(memory_container)
    for product_id, policy_id in [(other_product, w.policy_id), (w.product_id, uuid4())]:
        command = GenerateLicense(policy_id, customer, product_id=product_id)
        async with memory_container() as scope:
            with pytest.raises(PolicyNotFound) as refused:
                await (await scope.get(GenerateLicenseHandler))(w.developer, command)
        assert (refused.value.field, refused.value.message) == ("policyId", "This product has no such policy.")
    async with memory_container() as scope:
        command = GenerateLicense(w.policy_id, customer, product_id=w.product_id)
        issued = await (await scope.get(GenerateLicenseHandler))(w.developer, command)
    assert issued.license.product_id == w.product_id


async def test_a_license_goes_only_to_an_account_that_exists(memory_container: AsyncContainer) -> None:
    w = await world(memory_container)
    store = await memory_container.get(MemoryStore)
    with pytest.raises(AccountNotFound) as refused:
        await generate(memory_container, w.developer, w.policy_id, uuid4())
    assert (refused.value.field, refused.value.code) == ("userId", "ACCOUNT_NOT_FOUND")
    assert len(store.table("licensing_licenses")) == 1  # only the world's own license


async def test_a_paid_order_of_an_unknown_account_issues_no_license(memory_container: AsyncContainer) -> None:
    w = await world(memory_container)
    store = await memory_container.get(MemoryStore)
    lines = (OrderLineV1(product_code="editor", policy_id=str(w.policy_id), quantity=1),)
    for user_id in (uuid4(), w.customer.user_id):
        paid = OrderPaidV1(
            order_id=uuid4(), user_id=user_id, email="buyer@example.com", currency="EUR", total=9900, lines=lines
        ).envelope(NOW)
        async with memory_container() as scope:
            await (await scope.get(WhenOrderPaidIssueLicense)).handle(paid)
            await (await scope.get(UnitOfWork)).commit()
    owners = [license.user_id for license in store.table("licensing_licenses").values()]
    assert owners == [w.customer.user_id, w.customer.user_id]  # the world's license and the known buyer's


async def test_product_codes_are_unique(memory_container: AsyncContainer) -> None:
    developer = Actor(uuid4())
    async with memory_container() as scope:
        await (await scope.get(CreateProductHandler))(developer, CreateProduct("editor", "Editor"))
    async with memory_container() as scope:
        with pytest.raises(ProductCodeTaken):
            await (await scope.get(CreateProductHandler))(developer, CreateProduct("Editor", "Again"))


async def test_an_activation_says_whether_it_took_the_seat(memory_container: AsyncContainer) -> None:
    w = await world(memory_container)
    answers = []
    for _ in range(2):
        async with memory_container() as scope:
            answers.append(await (await scope.get(ActivateLicenseHandler))(ActivateLicense(w.key, "laptop")))
    assert [answer.new for answer in answers] == [True, False]
    assert answers[0].machine == answers[1].machine


async def test_activation_is_idempotent_per_fingerprint_and_stops_at_the_limit(
    memory_container: AsyncContainer,
) -> None:
    w = await world(memory_container)
    first = await activate(memory_container, w.key, "laptop")
    assert (await activate(memory_container, w.key, "laptop")).id == first.id
    await activate(memory_container, w.key, "desktop")
    await activate(memory_container, w.key, "tablet")
    with pytest.raises(MachineLimitExceeded):
        await activate(memory_container, w.key, "phone")
    async with memory_container() as scope:
        view = await (await scope.get(GetLicense))(w.customer, key=w.key)
    assert sorted(m.fingerprint for m in view.machines) == ["desktop", "laptop", "tablet"]


async def test_self_service_deactivation_spends_the_allowance_an_admin_reset_does_not(
    memory_container: AsyncContainer,
) -> None:
    w = await world(memory_container)
    for fingerprint in ("a", "b", "c"):
        await activate(memory_container, w.key, fingerprint)
    async with memory_container() as scope:
        await (await scope.get(DeactivateMachineHandler))(DeactivateMachine(key=w.key, fingerprint="a"))
    async with memory_container() as scope:
        with pytest.raises(DeactivationLimitExceeded):
            await (await scope.get(DeactivateMachineHandler))(DeactivateMachine(key=w.key, fingerprint="b"))
    admin = Actor.holding(uuid4(), LicensingPermission.ADMIN)
    async with memory_container() as scope:
        command = DeactivateMachine(license_id=w.issued.license.id, fingerprint="b")
        await (await scope.get(DeactivateMachineHandler))(command, admin)
    await activate(memory_container, w.key, "d")
    await activate(memory_container, w.key, "e")


async def test_suspend_reinstate_revoke_and_renew_are_for_the_products_owner(memory_container: AsyncContainer) -> None:
    w = await world(memory_container, duration=timedelta(days=30))
    license_id = w.issued.license.id
    async with memory_container() as scope:
        with pytest.raises(NotPermitted):
            await (await scope.get(SuspendLicenseHandler))(w.customer, license_id, "mine")
        with pytest.raises(LicenseNotFound):
            await (await scope.get(SuspendLicenseHandler))(Actor(uuid4()), license_id, "theirs")
    async with memory_container() as scope:
        assert (await (await scope.get(SuspendLicenseHandler))(w.developer, license_id, "chargeback")).status == (
            "SUSPENDED"
        )
    with pytest.raises(LicenseSuspended):
        await activate(memory_container, w.key, "laptop")
    async with memory_container() as scope:
        await (await scope.get(ReinstateLicenseHandler))(w.developer, license_id)
    async with memory_container() as scope:
        renewed = await (await scope.get(RenewLicenseHandler))(w.developer, license_id)
    assert renewed.expires_at is not None and w.issued.license.expires_at is not None
    assert renewed.expires_at - w.issued.license.expires_at == timedelta(days=30)
    async with memory_container() as scope:
        revoked = await (await scope.get(RevokeLicenseHandler))(w.developer, license_id, "refund")
    assert revoked.status == "REVOKED"
    with pytest.raises(LicenseRevoked):
        await activate(memory_container, w.key, "laptop")


async def test_a_license_is_managed_by_its_key_under_the_same_rules_as_by_its_id(
    memory_container: AsyncContainer,
) -> None:
    w = await world(memory_container)
    key = LicenseKey.parse(w.key.lower())  # any spelling the customer types finds the license
    async with memory_container() as scope:
        with pytest.raises(NotPermitted):
            await (await scope.get(SuspendLicenseHandler))(w.customer, key, "mine")
        with pytest.raises(LicenseNotFound):
            await (await scope.get(SuspendLicenseHandler))(Actor(uuid4()), key, "theirs")
    async with memory_container() as scope:
        suspended = await (await scope.get(SuspendLicenseHandler))(w.developer, key, "chargeback")
    assert (suspended.id, suspended.status) == (w.issued.license.id, "SUSPENDED")
    async with memory_container() as scope:
        with pytest.raises(LicenseNotFound):
            await (await scope.get(ReinstateLicenseHandler))(w.developer, LicenseKey.generate())
    async with memory_container() as scope:
        assert (await (await scope.get(ReinstateLicenseHandler))(w.developer, key)).status == "ACTIVE"


async def test_heartbeats_keep_a_seat_and_the_cull_frees_silent_ones(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    w = await world(memory_container, heartbeat_required=True, heartbeat_interval=timedelta(minutes=10))
    await activate(memory_container, w.key, "alive")
    await activate(memory_container, w.key, "silent")
    for _ in range(3):
        clock.advance(timedelta(minutes=6))
        async with memory_container() as scope:
            await (await scope.get(PingHeartbeatHandler))(PingHeartbeat(w.key, "alive"))
    async with memory_container() as scope:
        report = await (await scope.get(CullDeadMachines))()
    assert (report.licenses_seen, report.machines_culled) == (1, 1)
    async with memory_container() as scope:
        view = await (await scope.get(GetLicense))(w.customer, key=w.key)
    assert [m.fingerprint for m in view.machines] == ["alive"]
    async with memory_container() as scope:
        revived = await (await scope.get(PingHeartbeatHandler))(PingHeartbeat(w.key, "silent"))
    assert revived.status == "ACTIVE"


async def test_policies_check_their_own_rules(memory_container: AsyncContainer) -> None:
    with pytest.raises(PolicyInvalid):
        await product_and_policy(memory_container, Actor(uuid4()), floating=False, max_machines=3)
