"""Second step of signing in: the login challenge plus an app code or a recovery code."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.attempt_throttle import AttemptThrottle
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAudit
from devforge.application.identity.login_challenges import LoginChallenges
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.recovery_codes import RecoveryCodes
from devforge.application.identity.start_session import StartSession
from devforge.application.identity.two_factor_check import TwoFactorCheck
from devforge.application.identity.two_factor_ports import TwoFactorRepository
from devforge.application.identity.views import TokenPair
from devforge.domain.identity.errors import TwoFactorChallengeInvalid, TwoFactorCodeInvalid
from devforge.domain.identity.two_factor import TwoFactor
from devforge.domain.shared.errors import DomainError, TooManyAttempts


@dataclass(frozen=True, slots=True)
class LogInWithTwoFactor:
    challenge_token: str
    code: str | None = None
    recovery_code: str | None = None
    ip: str = ""
    device: str = ""


class LogInWithTwoFactorHandler:
    """The challenge names the account whose password was right; a code the account has not
    used before (or an unused recovery code, spent now) turns it into a session, started exactly
    like a password-only sign-in. Wrong codes count against the account's throttle, whichever
    challenge they come with; the challenge is good for one session."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        two_factors: TwoFactorRepository,
        challenges: LoginChallenges,
        check: TwoFactorCheck,
        recovery: RecoveryCodes,
        throttle: AttemptThrottle,
        start_session: StartSession,
        audit: AuthAudit,
        clock: Clock,
    ) -> None:
        self._uow, self._users, self._two_factors, self._challenges = uow, users, two_factors, challenges
        self._check, self._recovery, self._throttle, self._start = check, recovery, throttle, start_session
        self._audit, self._clock = audit, clock

    async def __call__(self, command: LogInWithTwoFactor) -> TokenPair:
        now = self._clock.now()
        try:
            user_id = await self._challenges.holder(command.challenge_token, now)
        except TwoFactorChallengeInvalid:
            await self._record(command, AuditOutcome.FAILURE, detail="challenge_invalid")
            raise
        throttle_key = f"two-factor:{user_id}"
        try:
            await self._throttle.ensure_allowed(throttle_key)
            user = await self._users.get(user_id)
            two_factor = await self._two_factors.get(user_id, for_update=True)
            if user is None or two_factor is None or not two_factor.enabled:
                raise TwoFactorChallengeInvalid("The sign-in challenge is not valid; sign in again.")
            user.ensure_may_log_in()
            method = self._present_second_factor(two_factor, command)
            await self._two_factors.update(two_factor)
            await self._challenges.spend(command.challenge_token)
        except DomainError as refused:
            await self._uow.rollback()
            if isinstance(refused, TwoFactorCodeInvalid):
                await self._throttle.failed(throttle_key)
            outcome = AuditOutcome.THROTTLED if isinstance(refused, TooManyAttempts) else AuditOutcome.FAILURE
            await self._record(command, outcome, user_id=user_id, detail=refused.code)
            raise
        pair = await self._start(user, ip=command.ip, device=command.device)
        left = f", {two_factor.recovery_codes_left} recovery codes left" if method == "recovery_code" else ""
        await self._record(command, AuditOutcome.SUCCESS, user_id=user_id, detail=f"{method}{left}")
        return pair

    def _present_second_factor(self, two_factor: TwoFactor, command: LogInWithTwoFactor) -> str:
        if command.code:
            two_factor.verify(self._check.step(two_factor, command.code, self._clock.now()))
            return "code"
        if command.recovery_code:
            two_factor.use_recovery_code(self._recovery.digest(command.recovery_code), self._clock.now())
            return "recovery_code"
        raise TwoFactorCodeInvalid("Send a code from your app or a recovery code.", field="code")

    async def _record(
        self, command: LogInWithTwoFactor, outcome: AuditOutcome, *, user_id: UUID | None = None, detail: str = ""
    ) -> None:
        await self._audit(
            AuditKind.TWO_FACTOR, outcome, user_id=user_id, ip=command.ip, user_agent=command.device, detail=detail
        )
