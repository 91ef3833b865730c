"""Validation counts in memory and writes later: counters, the FIRST_VALIDATION clock and the
failures as one event per license per flush; a failed flush keeps its counts for the next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from dishka import AsyncContainer, Provider, Scope

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.licensing import InMemoryLicenseUsageCounters
from devforge.adapters.memory.store import MemoryStore
from devforge.application.licensing.flush_validation_tally import FlushValidationTally
from devforge.application.licensing.get_license import GetLicense
from devforge.application.licensing.ports import LicenseUsage, LicenseUsageCounters, UsageDelta
from devforge.application.licensing.validate_license import ValidateLicense, ValidateLicenseHandler
from devforge.application.licensing.validation_tally import ValidationTally
from devforge.bootstrap.container import make_container, memory_providers
from devforge.domain.licensing.policy import ClockStart
from devforge.domain.licensing.validation import ValidationCode
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.unit.licensing.use_case_steps import activate, world

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_the_tally_sums_per_license_and_drains_to_empty() -> None:
    tally, a, b = ValidationTally(), uuid4(), uuid4()
    tally.count(a, valid=True, code="VALID", at=T0)
    tally.count(a, valid=False, code="NO_MACHINE", at=T0 + timedelta(seconds=1))
    tally.count(a, valid=False, code="EXPIRED", at=T0 + timedelta(seconds=2))
    tally.count(b, valid=True, code="VALID", at=T0, clock_pending=True)
    drained = tally.drain()
    assert len(tally) == 0 and tally.drain() == {}
    assert (drained[a].validations, drained[a].failures, drained[a].last_failure_code) == (3, 2, "EXPIRED")
    assert (drained[a].first_at, drained[a].last_at) == (T0, T0 + timedelta(seconds=2))
    assert drained[a].first_failure_at == T0 + timedelta(seconds=1)
    assert drained[b].clock_pending and not drained[a].clock_pending


def test_a_restored_drain_merges_with_what_came_meanwhile() -> None:
    tally, a = ValidationTally(), uuid4()
    tally.count(a, valid=False, code="NO_MACHINE", at=T0 + timedelta(seconds=5))
    drained = tally.drain()
    tally.count(a, valid=True, code="VALID", at=T0 + timedelta(seconds=9))
    tally.count(a, valid=False, code="SUSPENDED", at=T0 + timedelta(seconds=7))
    tally.restore(drained)
    merged = tally.drain()[a]
    assert (merged.validations, merged.failures) == (3, 2)
    assert (merged.first_at, merged.last_at) == (T0 + timedelta(seconds=5), T0 + timedelta(seconds=9))
    assert (merged.first_failure_at, merged.last_failure_code) == (T0 + timedelta(seconds=5), "SUSPENDED")


async def validate(container: AsyncContainer, key: str, fingerprint: str | None = None) -> ValidationCode:
    handler = await container.get(ValidateLicenseHandler)
    return (await handler(ValidateLicense(key, fingerprint=fingerprint))).code


async def flush(container: AsyncContainer) -> None:
    async with container() as scope:
        await (await scope.get(FlushValidationTally))()


async def usage(container: AsyncContainer, license_id: object) -> LicenseUsage:
    async with container() as scope:
        return await (await scope.get(LicenseUsageCounters)).get(license_id)  # type: ignore[arg-type]


def event_names(store: MemoryStore) -> list[str]:
    return [row["event"].name for row in store.table("outbox").values()]


async def test_counters_are_written_by_the_flush_not_by_the_validation(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    w = await world(memory_container, strict=True)
    await activate(memory_container, w.key, "laptop")
    for fingerprint in ("laptop", "laptop", "elsewhere"):
        await validate(memory_container, w.key, fingerprint)
    assert await usage(memory_container, w.issued.license.id) == LicenseUsage()
    clock.advance(timedelta(seconds=3))
    await validate(memory_container, w.key, "laptop")
    await flush(memory_container)
    assert await usage(memory_container, w.issued.license.id) == LicenseUsage(4, 1, clock.now())
    await validate(memory_container, w.key, "laptop")
    await flush(memory_container)
    assert (await usage(memory_container, w.issued.license.id)).validations == 5
    async with memory_container() as scope:
        view = await (await scope.get(GetLicense))(w.customer, key=w.key)
    assert view.usage == LicenseUsage(5, 1, clock.now())


async def test_failed_validations_become_one_event_per_flush(memory_container: AsyncContainer) -> None:
    w = await world(memory_container, strict=True)
    store = await memory_container.get(MemoryStore)
    before = event_names(store)
    for _ in range(3):
        assert await validate(memory_container, w.key, "nowhere") is ValidationCode.NO_MACHINE
    await flush(memory_container)
    added = event_names(store)[len(before) :]
    assert added == ["licensing.license_validation_failed"]
    (event,) = [row["event"] for row in store.table("outbox").values() if row["event"].name in added]
    assert (event.payload["count"], event.payload["code"]) == (3, "NO_MACHINE")


async def test_a_first_validation_policy_starts_its_term_at_the_first_validation(
    memory_container: AsyncContainer, clock: ManualClock
) -> None:
    w = await world(memory_container, clock_start=ClockStart.FIRST_VALIDATION, duration=timedelta(days=30))
    assert w.issued.license.expires_at is None
    first = clock.now()
    assert await validate(memory_container, w.key) is ValidationCode.VALID
    clock.advance(timedelta(seconds=4))
    await validate(memory_container, w.key)
    await flush(memory_container)
    async with memory_container() as scope:
        view = await (await scope.get(GetLicense))(w.customer, key=w.key)
    assert view.expires_at == first + timedelta(days=30)
    # The cache was told: the next validation sees the running term, and nothing starts it again.
    clock.advance(timedelta(days=31))
    assert await validate(memory_container, w.key) is ValidationCode.EXPIRED
    await flush(memory_container)
    store = await memory_container.get(MemoryStore)
    assert event_names(store).count("licensing.license_clock_started") == 1


class FlakyCounters(InMemoryLicenseUsageCounters):
    """The in-memory counters, with a database that can go away."""

    down = False

    async def add(self, deltas: Sequence[UsageDelta]) -> None:
        if FlakyCounters.down:
            raise ConnectionError("database unreachable")
        await super().add(deltas)


async def test_a_flush_that_fails_keeps_its_counts_for_the_next(clock: ManualClock) -> None:
    flaky = Provider(scope=Scope.REQUEST)
    flaky.provide(FlakyCounters, provides=LicenseUsageCounters)
    container = make_container(settings_for_tests(), manual_clock_provider(clock), flaky, base=memory_providers())
    try:
        w = await world(container)
        await validate(container, w.key)
        await validate(container, w.key)
        FlakyCounters.down = True
        with pytest.raises(ConnectionError):
            await flush(container)
        assert len(await container.get(ValidationTally)) == 1
        FlakyCounters.down = False
        await validate(container, w.key)
        await flush(container)
        assert (await usage(container, w.issued.license.id)).validations == 3
    finally:
        FlakyCounters.down = False
        await container.close()
