""" "Expiring soon" three days before the end of a term and "expired" after it: each once per
term, again after a renewal, never for a revoked license; the worker's job sends them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.store import MemoryStore
from devforge.application.common.actor import Actor
from devforge.application.licensing.announce_license_expiry import AnnounceLicenseExpiry
from devforge.application.licensing.renew_license import RenewLicenseHandler
from devforge.application.licensing.revoke_license import RevokeLicenseHandler
from tests.unit.licensing.use_case_steps import World, world

YEAR = {"duration": timedelta(days=365)}


def notices(container_store: MemoryStore) -> list[tuple[str, Any]]:
    rows = container_store.table("outbox").values()
    events = sorted((row["event"] for row in rows), key=lambda event: event.occurred_at)
    return [(e.name, e.payload["expires_at"]) for e in events if e.name.startswith("licensing.license_expir")]


async def announce(container: AsyncContainer) -> int:
    async with container() as scope:
        return (await (await scope.get(AnnounceLicenseExpiry))()).announced


async def a_license(container: AsyncContainer, **settings: Any) -> tuple[World, MemoryStore]:
    return await world(container, **(YEAR | settings)), await container.get(MemoryStore)


async def test_nothing_is_due_before_the_last_three_days(memory_container: AsyncContainer, clock: ManualClock) -> None:
    _, store = await a_license(memory_container)
    clock.advance(timedelta(days=361, hours=23))
    assert await announce(memory_container) == 0
    assert notices(store) == []


async def test_expiring_soon_then_expired_each_once(memory_container: AsyncContainer, clock: ManualClock) -> None:
    w, store = await a_license(memory_container)
    expiry = w.issued.license.expires_at
    assert expiry is not None
    clock.advance(timedelta(days=362))
    assert await announce(memory_container) == 1
    assert await announce(memory_container) == 0
    clock.advance(timedelta(days=3))
    assert await announce(memory_container) == 1
    clock.advance(timedelta(days=30))
    assert await announce(memory_container) == 0
    assert notices(store) == [
        ("licensing.license_expiring_soon", expiry.isoformat()),
        ("licensing.license_expired", expiry.isoformat()),
    ]


async def test_a_renewal_starts_a_term_that_gets_its_own_notices(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    w, store = await a_license(memory_container)
    clock.advance(timedelta(days=363))
    await announce(memory_container)
    async with memory_container() as scope:
        await (await scope.get(RenewLicenseHandler))(w.developer, w.issued.license.id)
    assert await announce(memory_container) == 0  # the new expiry is a year away
    clock.advance(timedelta(days=365))
    assert await announce(memory_container) == 1
    assert [name for name, _ in notices(store)] == ["licensing.license_expiring_soon"] * 2


async def test_a_license_found_past_its_expiry_gets_only_the_expired_notice(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    _, store = await a_license(memory_container)
    clock.advance(timedelta(days=400))
    assert await announce(memory_container) == 1
    assert [name for name, _ in notices(store)] == ["licensing.license_expired"]


async def test_revoked_and_perpetual_licenses_get_no_notices(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    w, store = await a_license(memory_container)
    await world(memory_container)  # no duration: never expires
    async with memory_container() as scope:
        await (await scope.get(RevokeLicenseHandler))(Actor(w.developer.user_id), w.issued.license.id, "refund")
    clock.advance(timedelta(days=400))
    assert await announce(memory_container) == 0
    assert notices(store) == []
