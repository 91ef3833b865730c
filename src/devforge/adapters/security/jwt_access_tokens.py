from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import jwt

from devforge.application.identity.ports import AccessClaims, IssuedAccessToken
from devforge.domain.identity.errors import SessionInvalid
from devforge.domain.identity.roles import Role

_ALGORITHM = "HS256"
_TYPE = "access"
_REQUIRED = ["sub", "sid", "role", "typ", "iss", "aud", "iat", "exp", "jti"]
VERIFIED_MAX = 10_000


class JwtAccessTokens:
    """HS256 JWTs carrying user (``sub``), session (``sid``), role and ``typ="access"``.

    ``verify`` accepts only HS256 under our secret (never ``none`` nor another algorithm),
    our issuer and audience, ``typ`` access, every claim present and well-formed, and
    ``now`` before ``exp``. Expiry is judged by the given ``now``, not the wall clock, so it
    follows the ``Clock`` port. Times are whole seconds, so ``expires_at`` is rounded down.
    Anything else raises ``SessionInvalid``. The secret has at least 32 bytes (RFC 7518 3.2).

    A token that verified is remembered with its claims (at most ``VERIFIED_MAX`` of them, the
    oldest dropped first): the same bytes verify the same way until they expire, and expiry is
    still judged by ``now`` on every call. Checking the signature and the claims again was a
    fifth of what a warm ``GET /api/auth/me`` cost (bench/README.md)."""

    def __init__(
        self,
        secret: bytes,
        ttl: timedelta = timedelta(minutes=15),
        issuer: str = "devforge",
        audience: str = "devforge-api",
    ) -> None:
        if len(secret) < 32:
            raise ValueError("The access token secret needs at least 32 bytes.")
        self._secret, self._ttl, self._issuer, self._audience = secret, ttl, issuer, audience
        self._verified: dict[str, AccessClaims] = {}

    def issue(self, *, user_id: UUID, session_id: UUID, role: Role, now: datetime) -> IssuedAccessToken:
        expires = int((now + self._ttl).timestamp())
        claims = {
            "sub": str(user_id),
            "sid": str(session_id),
            "role": role.value,
            "typ": _TYPE,
            "iss": self._issuer,
            "aud": self._audience,
            "iat": int(now.timestamp()),
            "exp": expires,
            "jti": secrets.token_urlsafe(16),
        }
        token = jwt.encode(claims, self._secret, algorithm=_ALGORITHM)
        return IssuedAccessToken(token, datetime.fromtimestamp(expires, UTC))

    def verify(self, token: str, *, now: datetime) -> AccessClaims:
        known = self._verified.get(token)
        if known is not None:
            if now >= known.expires_at:
                raise SessionInvalid("The access token is not valid.")
            return known
        claims = self._verify(token, now)
        if len(self._verified) >= VERIFIED_MAX:
            del self._verified[next(iter(self._verified))]
        self._verified[token] = claims
        return claims

    def _verify(self, token: str, now: datetime) -> AccessClaims:
        try:
            claims = self._decode(token)
            expires = claims["exp"]
            if claims["typ"] != _TYPE or type(expires) is not int or now.timestamp() >= expires:
                raise SessionInvalid("The access token is not valid.")
            return AccessClaims(
                user_id=UUID(claims["sub"]),
                session_id=UUID(claims["sid"]),
                role=Role(claims["role"]),
                expires_at=datetime.fromtimestamp(expires, UTC),
            )
        except (jwt.PyJWTError, ValueError, TypeError, AttributeError):
            raise SessionInvalid("The access token is not valid.") from None

    def _decode(self, token: str) -> dict[str, Any]:
        # PyJWT's own time checks use the wall clock; expiry is checked above against ``now``.
        return jwt.decode(
            token,
            self._secret,
            algorithms=[_ALGORITHM],
            audience=self._audience,
            issuer=self._issuer,
            options={"require": _REQUIRED, "verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
