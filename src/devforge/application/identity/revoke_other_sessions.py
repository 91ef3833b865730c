"""Sign out everywhere else: end every session of mine but the one I am using, and my API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import ApiKeyRepository, SessionRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.publication import record_events
from devforge.application.identity.revoke_api_key import revoke_api_keys_of
from devforge.application.identity.signed_in import SignedIn
from devforge.domain.identity.permissions import IdentityPermission


async def revoke_sessions_except(
    sessions: SessionRepository, outbox: Outbox, *, user_id: UUID, keep: UUID, now: datetime, reason: str
) -> list[UUID]:
    """Revokes the user's active sessions other than ``keep`` in the caller's unit of work
    (which the caller commits, then forgets them: ``SignedIn.forget_sessions``); answers their ids."""
    ended: list[UUID] = []
    for session in await sessions.list_for_user(user_id):
        if session.id != keep and session.is_active(now):
            session.revoke(now=now, reason=reason)
            await sessions.update(session)
            await record_events(outbox, session)
            ended.append(session.id)
    return ended


@dataclass(frozen=True, slots=True)
class SignedOutElsewhere:
    sessions: int
    api_keys: int


class RevokeOtherSessionsHandler:
    """Sign out everywhere: the current session stays signed in; every other active one ends
    at once, and so does every live API key of the account (a key minted from a stolen session
    would otherwise keep the thief in after the owner signed them out)."""

    def __init__(
        self,
        uow: UnitOfWork,
        sessions: SessionRepository,
        api_keys: ApiKeyRepository,
        outbox: Outbox,
        authorizer: Authorizer,
        clock: Clock,
        signed_in: SignedIn,
    ) -> None:
        self._signed_in = signed_in
        self._uow, self._sessions, self._keys, self._outbox = uow, sessions, api_keys, outbox
        self._authorize, self._clock = authorizer, clock

    async def __call__(self, principal: Principal) -> SignedOutElsewhere:
        await self._authorize(principal, IdentityPermission.SESSIONS_MANAGE_OWN, resource="session")
        now = self._clock.now()
        sessions = await revoke_sessions_except(
            self._sessions,
            self._outbox,
            user_id=principal.user_id,
            keep=principal.session_id,
            now=now,
            reason="revoked_by_user",
        )
        keys = await revoke_api_keys_of(self._keys, self._outbox, user_id=principal.user_id, now=now)
        await self._uow.commit()
        await self._signed_in.forget_sessions(sessions)
        return SignedOutElsewhere(len(sessions), keys)
