"""Two-factor authentication (TOTP) for one account.

The rules:
- the shared secret is only ever held sealed (encrypted by the application), never in plain;
- enrolment is pending until the owner proves their app works with a code (``confirm``);
  enrolling again before that replaces the secret, after it is refused;
- a time step's code is accepted at most once, and never a step older than the last accepted
  one: the last accepted step is stored with the account, so a replayed code fails even when
  every cache is gone;
- confirming hands out recovery codes, kept as digests; each works once;
- turning two-factor off needs a fresh code from the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from devforge.domain.identity.errors import TwoFactorAlreadyEnabled, TwoFactorCodeInvalid, TwoFactorNotEnrolled
from devforge.domain.identity.events import TwoFactorDisabled, TwoFactorEnabled
from devforge.domain.shared.events import EventRecorder

RECOVERY_CODE_COUNT = 10


@dataclass(eq=False)
class RecoveryCode:
    digest: str
    used_at: datetime | None = None


@dataclass(eq=False)
class TwoFactor(EventRecorder):
    user_id: UUID
    sealed_secret: str
    enrolled_at: datetime
    confirmed_at: datetime | None = None
    last_used_step: int | None = None
    recovery_codes: list[RecoveryCode] = field(default_factory=list)
    version: int = 0

    @classmethod
    def enroll(cls, *, user_id: UUID, sealed_secret: str, now: datetime) -> TwoFactor:
        return cls(user_id=user_id, sealed_secret=sealed_secret, enrolled_at=now)

    @property
    def enabled(self) -> bool:
        return self.confirmed_at is not None

    def reenroll(self, *, sealed_secret: str, now: datetime) -> None:
        """A pending enrolment starts over with a new secret; an enabled one is kept."""
        if self.enabled:
            raise TwoFactorAlreadyEnabled("Two-factor authentication is already on; turn it off first.")
        self.sealed_secret, self.enrolled_at, self.last_used_step = sealed_secret, now, None

    def use_code(self, step: int | None) -> None:
        """``step`` is the time step the presented code matched (None: it matched none)."""
        if step is None or (self.last_used_step is not None and step <= self.last_used_step):
            raise TwoFactorCodeInvalid("The code is wrong, expired or already used.", field="code")
        self.last_used_step = step

    def confirm(self, *, step: int | None, recovery_digests: list[str], now: datetime) -> None:
        if self.enabled:
            raise TwoFactorAlreadyEnabled("Two-factor authentication is already on.")
        if len(recovery_digests) != RECOVERY_CODE_COUNT or len(set(recovery_digests)) != RECOVERY_CODE_COUNT:
            raise ValueError(f"expected {RECOVERY_CODE_COUNT} distinct recovery code digests")
        self.use_code(step)
        self.confirmed_at = now
        self.recovery_codes = [RecoveryCode(digest) for digest in recovery_digests]
        self.record(TwoFactorEnabled(occurred_at=now, user_id=self.user_id))

    def verify(self, step: int | None) -> None:
        """A second factor at sign-in: a fresh app code."""
        self.ensure_enabled()
        self.use_code(step)

    def use_recovery_code(self, digest: str, now: datetime) -> None:
        """A second factor at sign-in when the app is lost: an unused recovery code, spent now."""
        self.ensure_enabled()
        code = next((c for c in self.recovery_codes if c.digest == digest and c.used_at is None), None)
        if code is None:
            raise TwoFactorCodeInvalid("The recovery code is wrong or already used.", field="recoveryCode")
        code.used_at = now

    @property
    def recovery_codes_left(self) -> int:
        return sum(1 for code in self.recovery_codes if code.used_at is None)

    def disable(self, *, step: int | None, now: datetime) -> None:
        """Off only with a fresh app code; the caller then deletes the record."""
        self.ensure_enabled()
        self.use_code(step)
        self.confirmed_at = None
        self.record(TwoFactorDisabled(occurred_at=now, user_id=self.user_id))

    def ensure_enabled(self) -> None:
        if not self.enabled:
            raise TwoFactorNotEnrolled("Two-factor authentication is not on for this account.")
