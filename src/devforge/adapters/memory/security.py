from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from uuid import UUID

from devforge.application.common.unavailable import ServiceUnavailable
from devforge.application.identity.ports import AccessClaims, IssuedAccessToken
from devforge.domain.identity.errors import SessionInvalid
from devforge.domain.identity.roles import Role


class InMemoryPasswordHasher:
    """A fast salted SHA-256 stand-in for Argon2 so unit tests do not spend 50 ms per hash.
    ``version`` lets a test pretend the parameters were strengthened."""

    def __init__(self, version: int = 1) -> None:
        self.version = version
        self.full = False  # a test sets it: the hashing queue is full when a use case asks

    def ensure_room(self) -> None:
        if self.full:
            raise ServiceUnavailable("password hashing", retry_after_seconds=1)

    async def hash(self, password: str) -> str:
        salt = secrets.token_hex(8)
        return f"fake${self.version}${salt}${hashlib.sha256((salt + password).encode()).hexdigest()}"

    async def verify(self, password_hash: str | None, password: str) -> bool:
        if password_hash is None:
            return False
        _, _, salt, digest = password_hash.split("$")
        return secrets.compare_digest(digest, hashlib.sha256((salt + password).encode()).hexdigest())

    def needs_rehash(self, password_hash: str) -> bool:
        return password_hash.split("$")[1] != str(self.version)


class InMemoryAccessTokens:
    """Opaque random tokens mapped to their claims in a dict."""

    def __init__(self, ttl: timedelta = timedelta(minutes=15)) -> None:
        self._ttl = ttl
        self._claims: dict[str, AccessClaims] = {}

    def issue(self, *, user_id: UUID, session_id: UUID, role: Role, now: datetime) -> IssuedAccessToken:
        token = secrets.token_urlsafe(24)
        self._claims[token] = AccessClaims(user_id, session_id, role, now + self._ttl)
        return IssuedAccessToken(token, now + self._ttl)

    def verify(self, token: str, *, now: datetime) -> AccessClaims:
        claims = self._claims.get(token)
        if claims is None or claims.expires_at <= now:
            raise SessionInvalid("The access token is not valid.")
        return claims
