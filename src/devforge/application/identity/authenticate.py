"""Turn a bearer access token into the caller's identity."""

from __future__ import annotations

from devforge.application.common.clock import Clock
from devforge.application.identity.authenticate_api_key import AuthenticateApiKey
from devforge.application.identity.ports import AccessTokens, SessionRepository
from devforge.application.identity.principal import Principal
from devforge.domain.identity.api_key import API_KEY_PREFIX
from devforge.domain.identity.errors import SessionInvalid

__all__ = ["Authenticate", "Principal"]


class Authenticate:
    """A token is honoured only while its session is active: signing out or revoking a session
    ends its access tokens at once, not when they expire. A bearer starting with ``dfk_live_``
    is an API key instead (``AuthenticateApiKey``)."""

    def __init__(
        self, access_tokens: AccessTokens, sessions: SessionRepository, clock: Clock, api_keys: AuthenticateApiKey
    ) -> None:
        self._access, self._sessions, self._clock, self._api_keys = access_tokens, sessions, clock, api_keys

    async def __call__(self, token: str) -> Principal:
        if token.startswith(API_KEY_PREFIX):
            return await self._api_keys(token)
        now = self._clock.now()
        claims = self._access.verify(token, now=now)
        session = await self._sessions.get(claims.session_id)
        if session is None or session.user_id != claims.user_id or not session.is_active(now):
            raise SessionInvalid("The session has ended; sign in again.")
        return Principal(claims.user_id, claims.session_id, claims.role)
