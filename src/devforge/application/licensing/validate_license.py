"""Validate a license key for a scope: the hot path every client calls."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.licensing.license_cache import LicenseCache
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseReader
from devforge.application.licensing.validation_tally import ValidationTally
from devforge.domain.licensing.policy import ClockStart
from devforge.domain.licensing.validation import ValidationCode, ValidationRequest, validate


@dataclass(frozen=True, slots=True)
class ValidateLicense:
    key: str
    product_id: UUID | None = None
    fingerprint: str | None = None
    entitlements: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Validation:
    valid: bool
    code: ValidationCode
    detail: str
    license_id: UUID | None
    at: datetime
    """When the verdict was reached: the time the signed answer states."""


class ValidateLicenseHandler:
    """Reads only: no write, no commit, no event on the request path. The license comes from the
    cache when it is there, else from the reader (and then goes into the cache). Each validation
    of a license that exists is counted in the in-memory ``ValidationTally`` (which
    ``FlushValidationTally`` writes later). Holds nothing per request: one instance serves the
    whole process."""

    def __init__(
        self,
        licenses: LicenseReader,
        digests: LicenseKeyDigests,
        cache: LicenseCache,
        clock: Clock,
        tally: ValidationTally,
    ) -> None:
        self._licenses, self._digests, self._cache, self._clock = licenses, digests, cache, clock
        self._tally = tally

    async def __call__(self, command: ValidateLicense) -> Validation:
        digest = self._digests.digest(command.key)
        license = await self._cache.get(digest)
        if license is None:
            started = self._cache.started()
            license = await self._licenses.find_by_key_digest(digest)
            if license is not None:
                await self._cache.fill(license, started)
        request = ValidationRequest(
            product_id=command.product_id, fingerprint=command.fingerprint, entitlements=command.entitlements
        )
        now = self._clock.now()
        result = validate(license, request, now)
        if license is None:
            return Validation(result.valid, result.code, result.detail, None, now)
        pending = license.policy.clock_start is ClockStart.FIRST_VALIDATION and license.expires_at is None
        self._tally.count(license.id, valid=result.valid, code=str(result.code), at=now, clock_pending=pending)
        return Validation(result.valid, result.code, result.detail, license.id, now)
