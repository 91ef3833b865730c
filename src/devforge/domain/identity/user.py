"""The user account aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import AccountDisabled, RoleNotSelfAssignable
from devforge.domain.identity.events import UserRegistered
from devforge.domain.identity.roles import Role
from devforge.domain.shared.events import EventRecorder


class UserStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


@dataclass(eq=False)
class User(EventRecorder):
    """One person's account. The email is unique across accounts (after normalization); the
    password is only ever held as a hash; a disabled account cannot start sessions."""

    id: UUID
    email: EmailAddress
    password_hash: str
    role: Role
    created_at: datetime
    status: UserStatus = UserStatus.ACTIVE
    email_verified: bool = False

    @classmethod
    def register(
        cls,
        *,
        user_id: UUID,
        email: EmailAddress,
        password_hash: str,
        role: Role,
        now: datetime,
        by_admin: bool = False,
    ) -> User:
        """Self-service sign-up may pick customer or developer; only an admin may create admins."""
        if not (role.self_assignable or by_admin):
            raise RoleNotSelfAssignable("This role cannot be chosen at sign-up.", field="role")
        user = cls(id=user_id, email=email, password_hash=password_hash, role=role, created_at=now)
        user.record(UserRegistered(occurred_at=now, user_id=user_id, email=email.value, role=role))
        return user

    def ensure_may_log_in(self) -> None:
        if self.status is UserStatus.DISABLED:
            raise AccountDisabled("This account is disabled.")

    def change_password_hash(self, new_hash: str) -> None:
        """Used when the hashing parameters were strengthened: same password, stronger hash."""
        self.password_hash = new_hash
