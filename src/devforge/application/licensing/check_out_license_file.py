"""A signed license file for one active machine, so the client can run offline for its TTL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from devforge.application.common.clock import Clock
from devforge.application.licensing.lookup import license_by_key
from devforge.application.licensing.offline_files import OfflineLicenses
from devforge.application.licensing.ports import LicenseKeyDigests, LicenseRepository
from devforge.domain.licensing.license_file import DEFAULT_TTL
from devforge.domain.licensing.license_key import LicenseKey


@dataclass(frozen=True, slots=True)
class CheckOutLicenseFile:
    key: str
    fingerprint: str
    ttl: timedelta = DEFAULT_TTL
    encrypt: bool = False


class CheckOutLicenseFileHandler:
    """A read: writes nothing. The key is the credential; with ``encrypt`` the file is sealed for
    that key and machine. Revoked and suspended licenses and unknown machines are refused."""

    def __init__(
        self, licenses: LicenseRepository, digests: LicenseKeyDigests, offline: OfflineLicenses, clock: Clock
    ) -> None:
        self._licenses, self._digests, self._offline, self._clock = licenses, digests, offline, clock

    async def __call__(self, command: CheckOutLicenseFile) -> str:
        license = await license_by_key(self._licenses, self._digests, command.key)
        return self._offline.license_file(
            license,
            fingerprint=command.fingerprint,
            now=self._clock.now(),
            ttl=command.ttl,
            encrypt_for=LicenseKey.parse(command.key) if command.encrypt else None,
        )
