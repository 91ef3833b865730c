from __future__ import annotations

import hashlib
import hmac
import secrets

from devforge.domain.identity.api_key import API_KEY_PREFIX


class ApiKeySecrets:
    """``dfk_live_`` and 256 random bits (43 URL-safe characters): the prefix lets secret
    scanners spot a leaked key. Stored only as an HMAC-SHA256 digest under a key of its own, so
    neither a database copy nor another token family's key can produce a working key."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def new(self) -> str:
        return API_KEY_PREFIX + secrets.token_urlsafe(32)

    def digest(self, secret: str) -> str:
        return hmac.new(self._key, secret.encode("utf-8"), hashlib.sha256).hexdigest()
