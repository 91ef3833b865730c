"""Validation writes nothing, reads through the cache, and the license's own events drop the
cached copy."""

from __future__ import annotations

from dishka import AsyncContainer

from devforge.adapters.memory.cache import InMemoryCache
from devforge.adapters.memory.store import MemoryStore
from devforge.application.common.cache import ReadMostlyCache
from devforge.application.licensing.license_cache import (
    FILL_WITHIN_SECONDS,
    TOMBSTONE,
    TOMBSTONE_SECONDS,
    LicenseCache,
    cache_key,
)
from devforge.application.licensing.ports import LicenseKeyDigests
from devforge.application.licensing.validate_license import ValidateLicense, ValidateLicenseHandler, Validation
from devforge.domain.licensing.license import License, LicenseStatus
from devforge.domain.licensing.license_key import LicenseKey
from devforge.domain.licensing.validation import ValidationCode
from tests.outbox_drain import drain
from tests.unit.licensing.use_case_steps import activate, world


async def validate(container: AsyncContainer, key: str, fingerprint: str | None = None) -> Validation:
    async with container() as scope:
        return await (await scope.get(ValidateLicenseHandler))(ValidateLicense(key, fingerprint=fingerprint))


async def test_validation_writes_nothing(memory_container: AsyncContainer) -> None:
    w = await world(memory_container)
    await activate(memory_container, w.key, "laptop")
    await drain(memory_container)
    store = await memory_container.get(MemoryStore)
    (stored,) = store.table("licensing_licenses").values()
    version, outbox_rows = stored.version, len(store.table("outbox"))
    for fingerprint in (None, "laptop", "elsewhere"):
        await validate(memory_container, w.key, fingerprint)
    (after,) = store.table("licensing_licenses").values()
    assert after.version == version and len(after.machines) == len(stored.machines)
    assert len(store.table("outbox")) == outbox_rows


async def test_an_unknown_key_is_not_found(memory_container: AsyncContainer) -> None:
    w = await world(memory_container)
    other = str(LicenseKey.generate())
    assert other != w.key
    result = await validate(memory_container, other)
    assert (result.valid, result.code, result.license_id) == (False, ValidationCode.NOT_FOUND, None)


async def test_the_cache_serves_validation_until_an_event_of_the_license_drops_it(
    memory_container: AsyncContainer,
) -> None:
    w = await world(memory_container, strict=True)  # its LicenseCreated event waits in the outbox
    cache = await memory_container.get(ReadMostlyCache)
    key = cache_key((await memory_container.get(LicenseKeyDigests)).digest(w.key))
    assert (await validate(memory_container, w.key)).code is ValidationCode.NO_MACHINE
    assert await cache.get(key) not in (None, TOMBSTONE)

    store = await memory_container.get(MemoryStore)
    store.table("licensing_licenses")[w.issued.license.id].status = LicenseStatus.SUSPENDED  # behind its back
    assert (await validate(memory_container, w.key)).code is ValidationCode.NO_MACHINE  # the cached copy
    await drain(memory_container)  # the event of the license drops the copy
    assert (await validate(memory_container, w.key)).code is ValidationCode.SUSPENDED


async def test_the_next_validation_after_an_activation_sees_the_machine(memory_container: AsyncContainer) -> None:
    w = await world(memory_container, strict=True)
    assert (await validate(memory_container, w.key, "laptop")).code is ValidationCode.NO_MACHINE
    await activate(memory_container, w.key, "laptop")
    result = await validate(memory_container, w.key, "laptop")
    assert (result.valid, result.code) == (True, ValidationCode.VALID)


async def test_an_event_of_the_license_drops_its_cached_copy(memory_container: AsyncContainer) -> None:
    w = await world(memory_container)  # its LicenseCreated event waits in the outbox
    cache = await memory_container.get(ReadMostlyCache)
    key = cache_key((await memory_container.get(LicenseKeyDigests)).digest(w.key))
    await validate(memory_container, w.key)
    assert await cache.get(key) is not None
    assert await drain(memory_container) == 1
    assert await cache.get(key) == TOMBSTONE  # reads as a miss, and no fill may land for a while
    assert await drain(memory_container) == 0  # delivered once; a redelivery would only forget again


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def a_license(memory_container: AsyncContainer) -> License:
    w = await world(memory_container)
    store = await memory_container.get(MemoryStore)
    return store.table("licensing_licenses")[w.issued.license.id]  # type: ignore[no-any-return]


async def test_a_read_taken_before_a_change_cannot_fill_the_cache_after_it(memory_container: AsyncContainer) -> None:
    license, clock = await a_license(memory_container), Clock()
    cache = LicenseCache(InMemoryCache(monotonic=clock), monotonic=clock)
    started = cache.started()  # a validation reads the database...
    await cache.forget(license.key_digest)  # ...a change commits and forgets the license...
    assert not await cache.fill(license, started)  # ...and the stale read finds the tombstone
    assert await cache.get(license.key_digest) is None
    clock.now += TOMBSTONE_SECONDS + 1
    assert await cache.fill(license, cache.started())
    assert (await cache.get(license.key_digest)) is not None


async def test_a_fill_lands_only_on_an_empty_entry_and_only_from_a_fresh_read(
    memory_container: AsyncContainer,
) -> None:
    license, clock = await a_license(memory_container), Clock()
    cache = LicenseCache(InMemoryCache(monotonic=clock), monotonic=clock)
    slow = cache.started()
    clock.now += FILL_WITHIN_SECONDS + 0.1
    assert not await cache.fill(license, slow)
    assert await cache.fill(license, cache.started())
    assert not await cache.fill(license, cache.started())  # already there: the first copy stays
    first = await cache.get(license.key_digest)
    assert first is not None and first is await cache.get(license.key_digest)  # decoded once, shared
