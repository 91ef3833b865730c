"""Validation writes nothing, reads through the cache, and the license's own events drop the
cached copy."""

from __future__ import annotations

from dishka import AsyncContainer

from devforge.adapters.memory.store import MemoryStore
from devforge.application.common.cache import ReadMostlyCache
from devforge.application.licensing.license_cache import cache_key
from devforge.application.licensing.ports import LicenseKeyDigests
from devforge.application.licensing.validate_license import ValidateLicense, ValidateLicenseHandler, Validation
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
    w = await world(memory_container, strict=True)
    await drain(memory_container)
    cache = await memory_container.get(ReadMostlyCache)
    key = cache_key((await memory_container.get(LicenseKeyDigests)).digest(w.key))
    assert (await validate(memory_container, w.key)).code is ValidationCode.NO_MACHINE
    assert await cache.get(key) is not None

    store = await memory_container.get(MemoryStore)
    del store.table("licensing_licenses")[w.issued.license.id]  # only the cache knows it now
    assert (await validate(memory_container, w.key)).code is ValidationCode.NO_MACHINE
    await cache.delete(key)
    assert (await validate(memory_container, w.key)).code is ValidationCode.NOT_FOUND


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
    assert await cache.get(key) is None
    assert await drain(memory_container) == 0  # delivered once; a redelivery would only delete again
