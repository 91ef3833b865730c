"""Proof, with the request, that whoever holds a session is the account's owner right now."""

from __future__ import annotations

from uuid import UUID

from devforge.application.common.clock import Clock
from devforge.application.identity.attempt_throttle import AttemptThrottle
from devforge.application.identity.auth_audit import AuditKind, AuditOutcome, AuthAudit
from devforge.application.identity.ports import PasswordHasher, UserRepository
from devforge.application.identity.two_factor_check import TwoFactorCheck
from devforge.application.identity.two_factor_ports import TwoFactorRepository
from devforge.domain.identity.errors import (
    ReauthenticationFailed,
    ReauthenticationRequired,
    SessionInvalid,
    TwoFactorCodeInvalid,
)


class Reauthentication:
    """A sensitive action (minting an API key) takes the account's password, or a fresh
    authenticator code when two-factor is on, in the same request: an access token stolen from a
    browser proves neither. A code is spent like at sign-in (its time step cannot be used
    again), so the caller's unit of work must commit. Wrong proofs count against a per-account
    throttle of their own (5 in any 5 minutes, then 429), so a token thief cannot guess the
    password here faster than at the sign-in door; every attempt is audited."""

    def __init__(
        self,
        users: UserRepository,
        two_factors: TwoFactorRepository,
        hasher: PasswordHasher,
        check: TwoFactorCheck,
        throttle: AttemptThrottle,
        audit: AuthAudit,
        clock: Clock,
    ) -> None:
        self._users, self._two_factors, self._hasher, self._check = users, two_factors, hasher, check
        self._throttle, self._audit, self._clock = throttle, audit, clock

    async def __call__(self, user_id: UUID, *, password: str, code: str, action: str) -> None:
        if not password and not code:
            raise ReauthenticationRequired(
                "Confirm with your password (or a code from your authenticator app).", field="password"
            )
        throttle_key = f"reauthenticate:{user_id}"
        await self._throttle.ensure_allowed(throttle_key)
        user = await self._users.get(user_id)
        if user is None:
            raise SessionInvalid("The session has ended; sign in again.")
        field = "code" if code else "password"
        if code:
            proven = await self._spend_code(user_id, code)
        else:
            proven = await self._hasher.verify(user.password_hash, password)
        if not proven:
            await self._throttle.failed(throttle_key)
            await self._audit(AuditKind.REAUTHENTICATE, AuditOutcome.FAILURE, user_id=user.id, detail=action)
            message = "The code is wrong, expired or already used." if code else "The password is incorrect."
            raise ReauthenticationFailed(message, field=field)
        await self._audit(AuditKind.REAUTHENTICATE, AuditOutcome.SUCCESS, user_id=user.id, detail=f"{field}: {action}")

    async def _spend_code(self, user_id: UUID, code: str) -> bool:
        two_factor = await self._two_factors.get(user_id, for_update=True)
        if two_factor is None or not two_factor.enabled:
            return False
        try:
            two_factor.verify(self._check.step(two_factor, code, self._clock.now()))
        except TwoFactorCodeInvalid:
            return False
        await self._two_factors.update(two_factor)
        return True
