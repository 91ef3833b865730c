"""Turn a bearer access token into the caller's identity."""

from __future__ import annotations

from devforge.application.common.clock import Clock
from devforge.application.identity.ports import AccessTokens
from devforge.application.identity.principal import Principal
from devforge.application.identity.signed_in import SignedIn
from devforge.domain.identity.api_key import API_KEY_PREFIX
from devforge.domain.identity.errors import SessionInvalid
from devforge.domain.identity.user import UserStatus

__all__ = ["Authenticate", "Principal", "is_api_key"]


def is_api_key(token: str) -> bool:
    """A bearer starting with ``dfk_live_`` is an API key (``AuthenticateApiKey``), not an access token."""
    return token.startswith(API_KEY_PREFIX)


class Authenticate:
    """A token is honoured only while its session is active and its account enabled: signing
    out, revoking a session or disabling the account ends its access tokens at once, in every
    API process, not when they expire. The caller acts with the account's role now, not the one
    the token was issued with: a role change counts from the next request. Session and account
    come from ``SignedIn`` (a near cache; no I/O when warm). An API key is not an access token
    (``is_api_key``): ``AuthenticateApiKey`` answers for it. Nothing here belongs to a request,
    so one instance serves the process: a signed-in request builds nothing and opens no
    database session to learn who is calling."""

    def __init__(self, access_tokens: AccessTokens, signed_in: SignedIn, clock: Clock) -> None:
        self._access, self._signed_in, self._clock = access_tokens, signed_in, clock

    async def __call__(self, token: str) -> Principal:
        now = self._clock.now()
        claims = self._access.verify(token, now=now)
        found = await self._signed_in.session(claims.session_id)
        if found is None:
            raise SessionInvalid("The session has ended; sign in again.")
        session, account = found
        if session.user_id != claims.user_id or not session.is_active(now) or account.status is UserStatus.DISABLED:
            raise SessionInvalid("The session has ended; sign in again.")
        return Principal(claims.user_id, claims.session_id, account.role)
