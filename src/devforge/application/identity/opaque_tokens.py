from __future__ import annotations

import hashlib
import hmac
import secrets


class OpaqueTokens:
    """Random bearer secrets (refresh tokens, later reset and verification tokens): 256 random
    bits, shown to the client once and stored only as an HMAC-SHA256 digest under a server key,
    so a copy of the database holds nothing that can be presented back."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def new(self) -> str:
        return secrets.token_urlsafe(32)

    def digest(self, token: str) -> str:
        return hmac.new(self._key, token.encode("utf-8"), hashlib.sha256).hexdigest()
