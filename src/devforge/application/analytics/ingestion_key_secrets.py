"""Making and recognising publishable ingestion keys."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from devforge.domain.analytics.ingestion_key import INGESTION_KEY_PREFIX


class IngestionKeySecrets:
    """``dfi_pub_`` and 192 random bits. Stored as an HMAC-SHA256 digest under a key of its own
    (derived from the service's secret key), as API keys are."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def new(self) -> str:
        return INGESTION_KEY_PREFIX + secrets.token_urlsafe(24)

    def digest(self, secret: str) -> str:
        return hmac.new(self._key, secret.encode("utf-8"), hashlib.sha256).hexdigest()
