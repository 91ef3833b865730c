"""Start turning two-factor on: a new secret for the caller's authenticator app."""

from __future__ import annotations

from dataclasses import dataclass

from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.ports import UserRepository
from devforge.application.identity.principal import Principal
from devforge.application.identity.two_factor_check import TwoFactorCheck
from devforge.application.identity.two_factor_ports import TwoFactorRepository
from devforge.domain.identity.errors import SessionInvalid
from devforge.domain.identity.permissions import IdentityPermission
from devforge.domain.identity.two_factor import TwoFactor


@dataclass(frozen=True, slots=True)
class TwoFactorEnrollment:
    secret: str
    otpauth_uri: str


class EnrollTwoFactorHandler:
    """The secret is shown this once and stored sealed. Nothing is on until a code confirms it;
    enrolling again before that replaces the secret; with two-factor on it is refused."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        two_factors: TwoFactorRepository,
        check: TwoFactorCheck,
        authorizer: Authorizer,
        clock: Clock,
    ) -> None:
        self._uow, self._users, self._two_factors, self._check = uow, users, two_factors, check
        self._authorize, self._clock = authorizer, clock

    async def __call__(self, principal: Principal) -> TwoFactorEnrollment:
        await self._authorize(principal, IdentityPermission.TWO_FACTOR_MANAGE_OWN, resource="two_factor")
        user = await self._users.get(principal.user_id)
        if user is None:
            raise SessionInvalid("The session has ended; sign in again.")
        now = self._clock.now()
        secret, sealed = self._check.new_sealed_secret(str(user.id))
        existing = await self._two_factors.get(user.id, for_update=True)
        if existing is None:
            await self._two_factors.add(TwoFactor.enroll(user_id=user.id, sealed_secret=sealed, now=now))
        else:
            existing.reenroll(sealed_secret=sealed, now=now)
            await self._two_factors.update(existing)
        await self._uow.commit()
        return TwoFactorEnrollment(secret, self._check.provisioning_uri(secret, account=user.email.value))
