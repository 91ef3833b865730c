"""Sign in with email and password, starting a session."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.record_events import record_events
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.ports import AccessTokens, PasswordHasher, SessionRepository, UserRepository
from devforge.application.identity.session_policy import SessionPolicy
from devforge.application.identity.views import TokenPair
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import CredentialsInvalid, EmailInvalid
from devforge.domain.identity.session import Session


@dataclass(frozen=True, slots=True)
class LogIn:
    email: str
    password: str
    ip: str = ""
    device: str = ""


class LogInHandler:
    """An unknown email, a malformed one and a wrong password get the same answer after the same
    work (a dummy hash is checked), so sign-in does not reveal which accounts exist. A hash made
    with weaker parameters than today's is replaced on a successful sign-in."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        sessions: SessionRepository,
        outbox: Outbox,
        hasher: PasswordHasher,
        access_tokens: AccessTokens,
        opaque_tokens: OpaqueTokens,
        policy: SessionPolicy,
        clock: Clock,
    ) -> None:
        self._uow, self._users, self._sessions, self._outbox = uow, users, sessions, outbox
        self._hasher, self._access, self._opaque = hasher, access_tokens, opaque_tokens
        self._policy, self._clock = policy, clock

    async def __call__(self, command: LogIn) -> TokenPair:
        try:
            user = await self._users.get_by_email(EmailAddress.parse(command.email))
        except EmailInvalid:
            user = None
        verified = await self._hasher.verify(user.password_hash if user else None, command.password)
        if user is None or not verified:
            raise CredentialsInvalid("The email or password is incorrect.")
        user.ensure_may_log_in()
        if self._hasher.needs_rehash(user.password_hash):
            user.change_password_hash(await self._hasher.hash(command.password))
            await self._users.update(user)
        now = self._clock.now()
        refresh_token = self._opaque.new()
        session = Session.start(
            session_id=uuid4(),
            user_id=user.id,
            token_digest=self._opaque.digest(refresh_token),
            now=now,
            lifetime=self._policy.lifetime,
            ip=command.ip,
            device=command.device,
        )
        await self._sessions.add(session)
        await record_events(self._outbox, session)
        await self._uow.commit()
        access = self._access.issue(user_id=user.id, session_id=session.id, role=user.role, now=now)
        return TokenPair(access.token, access.expires_at, refresh_token, session.expires_at, session.id)
