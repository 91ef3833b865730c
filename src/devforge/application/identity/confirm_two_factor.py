"""Turn two-factor on: prove the authenticator app works, receive the recovery codes."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.attempt_throttle import AttemptThrottle
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAudit
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import SessionRepository, UserRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.publication import record_events
from devforge.application.identity.recovery_codes import RecoveryCodes
from devforge.application.identity.revoke_other_sessions import revoke_sessions_except
from devforge.application.identity.signed_in import SignedIn
from devforge.application.identity.two_factor_check import TwoFactorCheck
from devforge.application.identity.two_factor_ports import TwoFactorRepository
from devforge.domain.identity.errors import SessionInvalid, TwoFactorCodeInvalid, TwoFactorNotEnrolled
from devforge.domain.identity.permissions import IdentityPermission


@dataclass(frozen=True, slots=True)
class ConfirmTwoFactor:
    code: str
    revoke_other_sessions: bool = False


class ConfirmTwoFactorHandler:
    """A right code turns two-factor on and answers ten recovery codes, shown this once (only
    their digests are kept). Wrong codes count against the account's throttle. The caller may
    end their other sessions in the same step."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        two_factors: TwoFactorRepository,
        sessions: SessionRepository,
        outbox: Outbox,
        check: TwoFactorCheck,
        recovery: RecoveryCodes,
        throttle: AttemptThrottle,
        audit: AuthAudit,
        authorizer: Authorizer,
        clock: Clock,
        signed_in: SignedIn,
    ) -> None:
        self._signed_in = signed_in
        self._uow, self._users, self._two_factors, self._sessions = uow, users, two_factors, sessions
        self._outbox, self._check, self._recovery, self._throttle = outbox, check, recovery, throttle
        self._audit, self._authorize, self._clock = audit, authorizer, clock

    async def __call__(self, principal: Principal, command: ConfirmTwoFactor) -> list[str]:
        await self._authorize(principal, IdentityPermission.TWO_FACTOR_MANAGE_OWN, resource="two_factor")
        throttle_key = f"two-factor:{principal.user_id}"
        await self._throttle.ensure_allowed(throttle_key)
        now = self._clock.now()
        user = await self._users.get(principal.user_id, for_update=True)
        two_factor = await self._two_factors.get(principal.user_id, for_update=True)
        if user is None:
            raise SessionInvalid("The session has ended; sign in again.")
        if two_factor is None:
            raise TwoFactorNotEnrolled("Start with POST /api/auth/2fa/enroll.")
        codes = self._recovery.generate()
        try:
            step = self._check.step(two_factor, command.code, now)
            two_factor.confirm(step=step, recovery_digests=[self._recovery.digest(c) for c in codes], now=now)
            await self._two_factors.update(two_factor)
        except TwoFactorCodeInvalid:
            await self._uow.rollback()
            await self._throttle.failed(throttle_key)
            await self._audit(AuditKind.TWO_FACTOR, AuditOutcome.FAILURE, user_id=user.id, detail="confirm")
            raise
        user.set_two_factor(enabled=True)
        await self._users.update(user)
        await record_events(self._outbox, two_factor)
        ended: list[UUID] = []
        if command.revoke_other_sessions:
            ended = await revoke_sessions_except(
                self._sessions,
                self._outbox,
                user_id=user.id,
                keep=principal.session_id,
                now=now,
                reason="two_factor_enabled",
            )
        await self._uow.commit()
        await self._signed_in.forget_account(user.id)
        await self._signed_in.forget_sessions(ended)
        await self._audit(AuditKind.TWO_FACTOR, AuditOutcome.SUCCESS, user_id=user.id, detail="enabled")
        return codes
