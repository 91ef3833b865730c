"""Write what validations counted in memory: the counters, the clocks that the first validation
starts, and the failures as events."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.ports import LicenseRepository, LicenseUsageCounters, UsageDelta
from devforge.application.licensing.publication import record_events
from devforge.application.licensing.validation_tally import Tallied, ValidationTally

SLICE = 2_000


@dataclass(frozen=True, slots=True)
class FlushReport:
    licenses: int
    validations: int
    clocks_started: int


class FlushValidationTally:
    """Runs in each API process every few seconds (and once at shutdown). One transaction for
    the whole batch: counters are added, a FIRST_VALIDATION license whose clock has not started
    gets it started at its first validation, and a license with failed validations gets one
    ``LicenseValidationFailed`` event. If the transaction fails, the batch goes back into the
    tally for the next run, so nothing is counted twice or lost to a database hiccup. The
    counters go in one statement per slice of ``SLICE`` licenses; only licenses with failures
    or a pending clock are read."""

    def __init__(
        self,
        uow: UnitOfWork,
        tally: ValidationTally,
        counters: LicenseUsageCounters,
        licenses: LicenseRepository,
        outbox: Outbox,
        cache: LicenseCache,
    ) -> None:
        self._uow, self._tally, self._counters, self._licenses = uow, tally, counters, licenses
        self._outbox, self._cache = outbox, cache

    async def __call__(self) -> FlushReport:
        drained = self._tally.drain()
        if not drained:
            return FlushReport(0, 0, 0)
        forget: list[str] = []
        try:
            # In license-id order (so flushes in several processes lock rows in one order) and in
            # slices, so the request path of this process gets the event loop between them.
            licenses = sorted(drained.items(), key=lambda item: item[0])
            for start in range(0, len(licenses), SLICE):
                batch = licenses[start : start + SLICE]
                await self._counters.add(
                    [
                        UsageDelta(license_id, t.validations, t.failures, t.last_at)
                        for license_id, t in batch
                        if t.last_at
                    ]
                )
                for license_id, tallied in batch:
                    digest = await self._write(license_id, tallied)
                    if digest is not None:
                        forget.append(digest)
            await self._uow.commit()
        except BaseException:
            await self._uow.rollback()
            self._tally.restore(drained)
            raise
        for digest in forget:  # after the commit, so no validation re-reads the old term
            await self._cache.forget(digest)
        return FlushReport(len(drained), sum(t.validations for t in drained.values()), len(forget))

    async def _write(self, license_id: UUID, tallied: Tallied) -> str | None:
        """The failures' event and the clock; the key digest of a license whose clock started."""
        if tallied.first_at is None or (not tallied.failures and not tallied.clock_pending):
            return None
        license = await self._licenses.get(license_id, for_update=tallied.clock_pending)
        if license is None:
            return None
        started = tallied.clock_pending and license.start_clock_on_validation(tallied.first_at)
        if tallied.failures and tallied.first_failure_at and tallied.last_failure_at:
            license.report_failed_validations(
                tallied.last_failure_code, tallied.failures, tallied.first_failure_at, tallied.last_failure_at
            )
        if started:
            await self._licenses.update(license)
        await record_events(self._outbox, license)
        return license.key_digest if started else None
