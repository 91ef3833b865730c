from __future__ import annotations

import hashlib
import hmac

from devforge.domain.licensing.license_key import LicenseKey


class HmacLicenseKeyDigests:
    """HMAC-SHA256 of the key's canonical text under a key of its own: a copy of the database
    alone cannot produce a working key, and any spelling a customer types finds the same row."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def digest(self, key: str) -> str:
        canonical = str(LicenseKey.parse(key))
        return hmac.digest(self._key, canonical.encode("utf-8"), hashlib.sha256).hex()
