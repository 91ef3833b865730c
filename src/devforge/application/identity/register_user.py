"""Sign up with an email and a password."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.application.identity.ports import PasswordHasher, UserRepository
from devforge.application.identity.publication import record_events
from devforge.application.identity.views import UserView
from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import EmailAlreadyRegistered
from devforge.domain.identity.password_policy import check_password
from devforge.domain.identity.roles import Role
from devforge.domain.identity.user import User


@dataclass(frozen=True, slots=True)
class RegisterUser:
    email: str
    password: str
    role: Role = Role.CUSTOMER
    by_admin: bool = False


class RegisterUserHandler:
    """The email is checked and normalized, the password checked against the policy before it
    is hashed; the account and its ``UserRegistered`` event are stored together."""

    def __init__(
        self, uow: UnitOfWork, users: UserRepository, outbox: Outbox, hasher: PasswordHasher, clock: Clock
    ) -> None:
        self._uow, self._users, self._outbox, self._hasher, self._clock = uow, users, outbox, hasher, clock

    async def __call__(self, command: RegisterUser) -> UserView:
        email = EmailAddress.parse(command.email)
        check_password(command.password)
        self._hasher.ensure_room()  # a full hashing queue refuses before the lookup
        if await self._users.get_by_email(email) is not None:
            raise EmailAlreadyRegistered("An account with this email already exists.", field="email")
        user = User.register(
            user_id=uuid4(),
            email=email,
            password_hash=await self._hasher.hash(command.password),
            role=command.role,
            now=self._clock.now(),
            by_admin=command.by_admin,
        )
        await self._users.add(user)
        await record_events(self._outbox, user)
        await self._uow.commit()
        return UserView.of(user)
