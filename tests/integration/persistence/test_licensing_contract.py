"""One contract for licensing's repositories, run on memory, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.errors import LicenseChangedConcurrently, ProductCodeTaken
from devforge.application.licensing.ports import (
    LicenseReader,
    LicenseRepository,
    LicenseUsage,
    LicenseUsageCounters,
    PolicyRepository,
    ProductRepository,
    UsageDelta,
    WithdrawnLicenses,
)
from devforge.domain.licensing.license import License
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.policy import ClockStart, ExpirationStrategy, LimitOverrides, Overage, Policy
from devforge.domain.licensing.product import Product
from devforge.domain.licensing.terms import LicenseTerms
from tests.integration.backends import BACKENDS, backend_container

NOW = datetime(2026, 5, 1, 12, 0, 0, 123456, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


def a_policy(product: Product) -> Policy:
    return Policy(
        id=uuid4(),
        product_id=product.id,
        name="Team",
        duration=timedelta(days=365),
        max_machines=3,
        floating=True,
        heartbeat_required=True,
        heartbeat_interval=timedelta(minutes=5),
        expiration_strategy=ExpirationStrategy.MAINTAIN_ACCESS,
        overage=Overage.ALLOW_1_5X,
        check_in_interval=timedelta(days=7),
        entitlements=frozenset({"ai-assist", "pro-themes"}),
    )


async def seeded(
    container: AsyncContainer, *, clock_start: ClockStart = ClockStart.CREATION, laptop: bool = True
) -> License:
    product = Product(id=uuid4(), owner_id=uuid4(), code="editor", name="Editor", created_at=NOW)
    policy = replace(a_policy(product), clock_start=clock_start)
    terms = LicenseTerms(policy=policy, overrides=LimitOverrides(max_uses=9), extra_entitlements=frozenset({"beta"}))
    key = LicenseKey.generate()
    license = License.issue(
        license_id=uuid4(), user_id=uuid4(), terms=terms, key=key, key_digest="d" * 64, now=NOW, order_id=uuid4()
    )
    if laptop:
        license.activate("laptop", NOW, machine_id=uuid4(), name="Ada's laptop")
    async with container() as scope:
        await (await scope.get(ProductRepository)).add(product)
        await (await scope.get(PolicyRepository)).add(policy)
        await (await scope.get(LicenseRepository)).add(license)
        await (await scope.get(UnitOfWork)).commit()
    return license


def shape(license: License) -> tuple[object, ...]:
    machines = [
        (m.id, m.fingerprint, m.name, m.status, m.activated_at, m.last_heartbeat_at, m.ended_at)
        for m in license.machines
    ]
    return (
        license.id, license.user_id, license.terms, license.key_digest, license.key_prefix, license.created_at,
        license.order_id, license.status, license.expires_at, machines, license.uses, license.last_check_in_at,
        license.self_service_deactivations, license.suspend_reason, license.revoked_at, license.revoke_reason,
    )  # fmt: skip


async def test_products_policies_and_licenses_with_machines_round_trip(container: AsyncContainer) -> None:
    license = await seeded(container)
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        by_id = await licenses.get(license.id)
        by_digest = await licenses.get_by_key_digest("d" * 64, for_update=True)
        assert await licenses.get_by_key_digest("e" * 64) is None
        mine = await licenses.list_for_user(license.user_id)
        policy = await (await scope.get(PolicyRepository)).get(license.policy.id)
        product = await (await scope.get(ProductRepository)).get(license.product_id)
    assert by_id is not None and by_digest is not None
    assert shape(by_id) == shape(by_digest) == shape(license) == shape(mine[0])
    assert policy == license.policy
    assert product is not None and product.code == "editor"


async def test_update_stores_machines_and_state_and_bumps_the_version(container: AsyncContainer) -> None:
    license = await seeded(container)
    later = NOW + timedelta(minutes=1)
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        loaded = await licenses.get(license.id, for_update=True)
        assert loaded is not None
        loaded.heartbeat("laptop", later)
        loaded.activate("desktop", later, machine_id=uuid4())
        loaded.deactivate(later, self_service=True, fingerprint="laptop")
        loaded.suspend("chargeback", later)
        await licenses.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(LicenseRepository)).get(license.id)
    assert stored is not None and shape(stored) == shape(loaded) and stored.version == 1
    assert [m.fingerprint for m in stored.active_machines] == ["desktop"]
    assert stored.self_service_deactivations == [later]


async def test_updates_write_only_the_machines_that_changed_and_read_back_whole(container: AsyncContainer) -> None:
    """The repository writes the machines changed since it read the license (an activation is one
    INSERT); two updates in one unit of work, and an update of a copy read elsewhere, still store
    every machine as the license holds it."""
    license = await seeded(container)
    later = NOW + timedelta(minutes=1)
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        loaded = await licenses.get(license.id, for_update=True)
        assert loaded is not None
        loaded.activate("desktop", later, machine_id=uuid4())
        await licenses.update(loaded)
        loaded.deactivate(later, self_service=False, fingerprint="laptop")
        loaded.activate("tablet", later + timedelta(seconds=1), machine_id=uuid4())
        await licenses.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        elsewhere = await (await scope.get(LicenseRepository)).get(license.id)
    assert elsewhere is not None and shape(elsewhere) == shape(loaded) and elsewhere.version == 2
    elsewhere.heartbeat("desktop", later + timedelta(minutes=1))
    async with container() as scope:
        await (await scope.get(LicenseRepository)).update(elsewhere)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(LicenseRepository)).get(license.id)
    assert stored is not None and shape(stored) == shape(elsewhere)
    assert sorted(m.fingerprint for m in stored.active_machines) == ["desktop", "tablet"]


async def test_a_stale_copy_loses_the_race(container: AsyncContainer) -> None:
    license = await seeded(container)
    async with container() as scope:
        stale = await (await scope.get(LicenseRepository)).get(license.id)
    async with container() as scope:
        fresh = await (await scope.get(LicenseRepository)).get(license.id)
        assert fresh is not None
        fresh.activate("desktop", NOW, machine_id=uuid4())
        await (await scope.get(LicenseRepository)).update(fresh)
        await (await scope.get(UnitOfWork)).commit()
    assert stale is not None
    stale.activate("tablet", NOW, machine_id=uuid4())
    async with container() as scope:
        with pytest.raises(LicenseChangedConcurrently):
            await (await scope.get(LicenseRepository)).update(stale)


async def test_an_activation_read_in_the_unit_of_work_stores_its_machine_and_what_it_changed(
    container: AsyncContainer,
) -> None:
    """The activation's shape (one machine added, on PostgreSQL one statement): the license's
    changed columns (a clock started by the first activation) are stored with the machine."""
    license = await seeded(container, clock_start=ClockStart.FIRST_ACTIVATION, laptop=False)
    later = NOW + timedelta(minutes=1)
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        loaded = await licenses.get(license.id)
        assert loaded is not None and loaded.expires_at is None
        loaded.activate("desktop", later, machine_id=uuid4())
        await licenses.update(loaded)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        stored = await (await scope.get(LicenseRepository)).get(license.id)
    assert stored is not None and shape(stored) == shape(loaded) and stored.version == 1
    assert stored.expires_at == later + timedelta(days=365)


async def test_an_activation_that_lost_the_race_writes_no_machine(container: AsyncContainer) -> None:
    license = await seeded(container)
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        mine = await licenses.get(license.id)
        async with container() as other:
            theirs = await (await other.get(LicenseRepository)).get(license.id)
            assert theirs is not None
            theirs.activate("desktop", NOW, machine_id=uuid4())
            await (await other.get(LicenseRepository)).update(theirs)
            await (await other.get(UnitOfWork)).commit()
        assert mine is not None
        mine.activate("tablet", NOW, machine_id=uuid4())
        with pytest.raises(LicenseChangedConcurrently):
            await licenses.update(mine)
        await (await scope.get(UnitOfWork)).rollback()
    async with container() as scope:
        stored = await (await scope.get(LicenseRepository)).get(license.id)
    assert stored is not None and stored.version == 1
    assert sorted(m.fingerprint for m in stored.active_machines) == ["desktop", "laptop"]


async def test_leaving_without_commit_discards_everything(container: AsyncContainer) -> None:
    license = await seeded(container)
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        loaded = await licenses.get(license.id, for_update=True)
        assert loaded is not None
        loaded.revoke("oops", NOW)
        await licenses.update(loaded)
    async with container() as scope:
        stored = await (await scope.get(LicenseRepository)).get(license.id)
    assert stored is not None and stored.revoked_at is None and stored.version == 0


async def test_key_digests_name_the_cache_keys_of_the_licenses_that_exist(container: AsyncContainer) -> None:
    license = await seeded(container)
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        assert await licenses.key_digests([license.id, uuid4()]) == [license.key_digest]
        assert await licenses.key_digests([]) == []


async def test_product_codes_are_unique(container: AsyncContainer) -> None:
    await seeded(container)
    async with container() as scope:
        with pytest.raises(ProductCodeTaken):
            await (await scope.get(ProductRepository)).add(
                Product(id=uuid4(), owner_id=uuid4(), code="editor", name="Again", created_at=NOW)
            )


async def test_cull_candidates_are_heartbeat_licenses_with_an_active_machine(container: AsyncContainer) -> None:
    license = await seeded(container)
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        assert await licenses.ids_with_heartbeat_machines(limit=10) == [license.id]
        assert await licenses.ids_with_heartbeat_machines(limit=10, after=license.id) == []


async def test_withdrawn_ids_name_only_revoked_licenses(container: AsyncContainer) -> None:
    license = await seeded(container)
    reader = await container.get(LicenseReader)
    assert await reader.withdrawn_ids() == WithdrawnLicenses(revoked=[], suspended=[])
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        stored = await licenses.get(license.id, for_update=True)
        assert stored is not None
        stored.revoke("chargeback", NOW)
        await licenses.update(stored)
        await (await scope.get(UnitOfWork)).commit()
    assert await reader.withdrawn_ids() == WithdrawnLicenses(revoked=[license.id], suspended=[])


async def test_withdrawn_ids_come_in_ascending_order(container: AsyncContainer) -> None:
    product = Product(id=uuid4(), owner_id=uuid4(), code="editor", name="Editor", created_at=NOW)
    policy = a_policy(product)
    issued = [
        License.issue(
            license_id=uuid4(),
            user_id=uuid4(),
            terms=LicenseTerms(policy=policy),
            key=LicenseKey.generate(),
            key_digest=f"{n:064d}",
            now=NOW,
        )
        for n in range(6)
    ]
    for license in issued[:3]:
        license.revoke("chargeback", NOW)
    for license in issued[3:5]:
        license.suspend("unpaid", NOW)
    async with container() as scope:
        await (await scope.get(ProductRepository)).add(product)
        await (await scope.get(PolicyRepository)).add(policy)
        for license in issued:
            await (await scope.get(LicenseRepository)).add(license)
        await (await scope.get(UnitOfWork)).commit()
    withdrawn = await (await container.get(LicenseReader)).withdrawn_ids()
    assert withdrawn.revoked == sorted(license.id for license in issued[:3])
    assert withdrawn.suspended == sorted(license.id for license in issued[3:5])


async def test_withdrawn_ids_name_suspended_licenses_until_they_are_reinstated(container: AsyncContainer) -> None:
    license = await seeded(container)
    for change, expected in (
        (lambda held: held.suspend("unpaid", NOW), [license.id]),
        (lambda held: held.reinstate(NOW), []),
    ):
        async with container() as scope:
            licenses = await scope.get(LicenseRepository)
            stored = await licenses.get(license.id, for_update=True)
            assert stored is not None
            change(stored)
            await licenses.update(stored)
            await (await scope.get(UnitOfWork)).commit()
        withdrawn = await (await container.get(LicenseReader)).withdrawn_ids()
        assert withdrawn == WithdrawnLicenses(revoked=[], suspended=expected)


async def test_the_reader_finds_a_committed_license_with_its_machines_by_key_digest(container: AsyncContainer) -> None:
    license = await seeded(container)
    second = uuid4()
    async with container() as scope:
        stored = await (await scope.get(LicenseRepository)).get(license.id, for_update=True)
        assert stored is not None
        stored.activate("desktop", NOW + timedelta(minutes=1), machine_id=second)
        await (await scope.get(LicenseRepository)).update(stored)
        await (await scope.get(UnitOfWork)).commit()
    reader = await container.get(LicenseReader)
    found = await reader.find_by_key_digest("d" * 64)
    assert found is not None
    assert [m.fingerprint for m in found.machines] == ["laptop", "desktop"]
    assert shape(found)[:9] == shape(license)[:9]
    assert await reader.find_by_key_digest("e" * 64) is None


async def test_the_reader_never_sees_what_is_not_committed(container: AsyncContainer) -> None:
    async with container() as scope:
        product = Product(id=uuid4(), owner_id=uuid4(), code="editor", name="Editor", created_at=NOW)
        policy = a_policy(product)
        license = License.issue(
            license_id=uuid4(), user_id=uuid4(), terms=LicenseTerms(policy=policy), key=LicenseKey.generate(),
            key_digest="f" * 64, now=NOW,
        )  # fmt: skip
        await (await scope.get(ProductRepository)).add(product)
        await (await scope.get(PolicyRepository)).add(policy)
        await (await scope.get(LicenseRepository)).add(license)
        await (await scope.get(UnitOfWork)).rollback()
    assert await (await container.get(LicenseReader)).find_by_key_digest("f" * 64) is None


async def test_usage_counters_only_add_and_keep_the_latest_time(container: AsyncContainer) -> None:
    license = await seeded(container)
    async with container() as scope:
        counters = await scope.get(LicenseUsageCounters)
        assert await counters.get(license.id) == LicenseUsage()
        await counters.add([UsageDelta(license.id, 5, 1, NOW)])
        await counters.add([UsageDelta(license.id, 2, 0, NOW - timedelta(seconds=30))])
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        assert await (await scope.get(LicenseUsageCounters)).get(license.id) == LicenseUsage(7, 1, NOW)


async def test_concurrent_counter_flushes_lose_nothing(container: AsyncContainer) -> None:
    license = await seeded(container)

    async def flush(n: int) -> None:
        async with container() as scope:
            counters = await scope.get(LicenseUsageCounters)
            await counters.add([UsageDelta(license.id, n, 0, NOW)])
            await (await scope.get(UnitOfWork)).commit()

    await asyncio.gather(*(flush(n) for n in range(1, 11)))
    async with container() as scope:
        assert (await (await scope.get(LicenseUsageCounters)).get(license.id)).validations == 55


async def test_licenses_due_an_expiry_notice_are_exactly_those_the_license_would_announce(
    container: AsyncContainer,
) -> None:
    license = await seeded(container)  # a year's term from NOW
    assert license.expires_at == NOW + timedelta(days=365)
    notice = timedelta(days=3)
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        assert await licenses.ids_due_an_expiry_notice(NOW, notice, limit=10) == []
        soon = NOW + timedelta(days=363)
        assert await licenses.ids_due_an_expiry_notice(soon, notice, limit=10) == [license.id]
        stored = await licenses.get(license.id, for_update=True)
        assert stored is not None and stored.announce_expiry(soon)
        await licenses.update(stored)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        assert await licenses.ids_due_an_expiry_notice(soon, notice, limit=10) == []
        after = NOW + timedelta(days=366)
        assert await licenses.ids_due_an_expiry_notice(after, notice, limit=10) == [license.id]
        stored = await licenses.get(license.id, for_update=True)
        assert stored is not None and stored.announce_expiry(after)
        await licenses.update(stored)
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        licenses = await scope.get(LicenseRepository)
        assert await licenses.ids_due_an_expiry_notice(after, notice, limit=10) == []
        assert (await licenses.get(license.id)).expired_notice_for == license.expires_at  # type: ignore[union-attr]


async def test_counts_of_a_license_that_no_longer_exists_are_dropped_not_fatal(container: AsyncContainer) -> None:
    license, gone = await seeded(container), uuid4()
    async with container() as scope:
        counters = await scope.get(LicenseUsageCounters)
        await counters.add([UsageDelta(gone, 3, 1, NOW), UsageDelta(license.id, 2, 0, NOW)])
        await (await scope.get(UnitOfWork)).commit()
    async with container() as scope:
        counters = await scope.get(LicenseUsageCounters)
        assert await counters.get(license.id) == LicenseUsage(2, 0, NOW)
        assert await counters.get(gone) == LicenseUsage()
