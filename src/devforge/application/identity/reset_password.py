"""Set a new password with the token from a reset mail."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.issue_one_time_token import locked_token_and_user
from devforge.application.identity.opaque_tokens import OpaqueTokens
from devforge.application.identity.ports import (
    ApiKeyRepository,
    OneTimeTokenRepository,
    PasswordHasher,
    SessionRepository,
    UserRepository,
)
from devforge.application.identity.publication import record_events
from devforge.application.identity.revoke_api_key import revoke_api_keys_of
from devforge.application.identity.signed_in import SignedIn
from devforge.domain.identity.errors import PasswordRejected
from devforge.domain.identity.one_time_token import TokenPurpose
from devforge.domain.identity.password_policy import check_password


@dataclass(frozen=True, slots=True)
class ResetPassword:
    token: str
    new_password: str


class ResetPasswordHandler:
    """The token works once, within its hour, and only if the password has not changed since it
    was issued. The new password meets the policy (checked before the token is spent). Every
    session of the account is revoked, wherever it was signed in, and so is every API key: a
    reset is how an owner takes the account back, so nothing a thief minted may survive it. The reset only sets the
    password: it starts no session, so signing in afterwards still asks for two-factor when the
    account has it. Having the mail also proves the address, so it counts as verified."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        sessions: SessionRepository,
        api_keys: ApiKeyRepository,
        tokens: OneTimeTokenRepository,
        outbox: Outbox,
        hasher: PasswordHasher,
        opaque_tokens: OpaqueTokens,
        clock: Clock,
        signed_in: SignedIn,
    ) -> None:
        self._signed_in = signed_in
        self._uow, self._users, self._sessions, self._tokens = uow, users, sessions, tokens
        self._keys = api_keys
        self._outbox, self._hasher, self._opaque, self._clock = outbox, hasher, opaque_tokens, clock

    async def __call__(self, command: ResetPassword) -> None:
        try:
            check_password(command.new_password)
        except PasswordRejected as rejected:
            raise PasswordRejected(rejected.message, field="newPassword") from None
        now = self._clock.now()
        token, user = await locked_token_and_user(self._tokens, self._users, self._opaque.digest(command.token))
        token.redeem(purpose=TokenPurpose.RESET_PASSWORD, now=now, password_changed_at=user.password_changed_at)
        user.ensure_may_log_in()
        await self._tokens.update(token)
        user.change_password(await self._hasher.hash(command.new_password), now)
        user.verify_email(now)
        await self._users.update(user)
        ended = [session for session in await self._sessions.list_for_user(user.id) if session.revoked_at is None]
        for session in ended:
            session.revoke(now=now, reason="password_reset")
            await self._sessions.update(session)
        await record_events(self._outbox, user, *ended)
        await revoke_api_keys_of(self._keys, self._outbox, user_id=user.id, now=now)
        await self._uow.commit()
        await self._signed_in.forget_account(user.id)
        await self._signed_in.forget_sessions(session.id for session in ended)
