"""The user account aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from devforge.domain.identity.email import EmailAddress
from devforge.domain.identity.errors import (
    AccountDisabled,
    EmailAlreadyVerified,
    EmailNotVerified,
    RoleNotSelfAssignable,
)
from devforge.domain.identity.events import (
    EmailVerificationRequested,
    EmailVerified,
    PasswordChanged,
    PasswordResetRequested,
    RoleChanged,
    UserDisabled,
    UserEnabled,
    UserRegistered,
)
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
    two_factor_enabled: bool = False
    password_changed_at: datetime | None = None

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

    def change_password(self, new_hash: str, now: datetime) -> None:
        """A new password. Tokens issued before ``password_changed_at`` (reset links) stop working."""
        self.password_hash = new_hash
        self.password_changed_at = now
        self.record(PasswordChanged(occurred_at=now, user_id=self.id, email=self.email.value))

    def verify_email(self, now: datetime) -> None:
        """Idempotent: verifying a verified address changes nothing and records nothing."""
        if not self.email_verified:
            self.email_verified = True
            self.record(EmailVerified(occurred_at=now, user_id=self.id, email=self.email.value))

    def ensure_email_verified(self) -> None:
        """Buying and publishing need a verified address."""
        if not self.email_verified:
            raise EmailNotVerified("Verify your email address first.")

    def request_email_verification(self, now: datetime) -> None:
        """A new verification link is only for an address not yet verified."""
        if self.email_verified:
            raise EmailAlreadyVerified("This email address is already verified.")
        self.record(EmailVerificationRequested(occurred_at=now, user_id=self.id, email=self.email.value))

    def request_password_reset(self, now: datetime) -> None:
        """A disabled account is sent no reset link; the caller answers the same either way."""
        if self.status is not UserStatus.DISABLED:
            self.record(PasswordResetRequested(occurred_at=now, user_id=self.id, email=self.email.value))

    def change_role(self, role: Role, now: datetime) -> None:
        if role is not self.role:
            previous, self.role = self.role, role
            self.record(RoleChanged(occurred_at=now, user_id=self.id, previous=previous, role=role))

    def disable(self, now: datetime) -> None:
        """A disabled account keeps its data but cannot sign in; its sessions are revoked by the use case."""
        if self.status is not UserStatus.DISABLED:
            self.status = UserStatus.DISABLED
            self.record(UserDisabled(occurred_at=now, user_id=self.id))

    def enable(self, now: datetime) -> None:
        if self.status is UserStatus.DISABLED:
            self.status = UserStatus.ACTIVE
            self.record(UserEnabled(occurred_at=now, user_id=self.id))

    def set_two_factor(self, *, enabled: bool) -> None:
        self.two_factor_enabled = enabled
