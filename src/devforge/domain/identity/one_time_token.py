"""One-time tokens: the secret in an email-verification or password-reset link.

One concept serves both purposes. The rules:
- a token is held only as a digest: the raw secret lives in the mail it was minted for and
  nowhere else (no table, no outbox row);
- it works once (``used_at``), until ``expires_at`` (24 hours to verify an address, at most
  1 hour to reset a password), and only for the purpose it was issued for;
- a newer token of the same purpose for the same user supersedes every older one;
- a reset token dies the moment the password changes after it was issued.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from devforge.domain.identity.errors import TokenAlreadyUsed, TokenExpired, TokenInvalid, TokenSuperseded


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a purpose, not a secret

    @property
    def lifetime(self) -> timedelta:
        return timedelta(hours=24) if self is TokenPurpose.VERIFY_EMAIL else timedelta(hours=1)


@dataclass(eq=False)
class OneTimeToken:
    id: UUID
    user_id: UUID
    purpose: TokenPurpose
    digest: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    superseded_at: datetime | None = None

    @classmethod
    def issue(
        cls, *, token_id: UUID, user_id: UUID, purpose: TokenPurpose, digest: str, issued_at: datetime
    ) -> OneTimeToken:
        """Valid from ``issued_at`` for the purpose's lifetime."""
        return cls(token_id, user_id, purpose, digest, issued_at, issued_at + purpose.lifetime)

    def is_live(self, now: datetime) -> bool:
        """Neither used, superseded nor expired."""
        return self.used_at is None and self.superseded_at is None and now < self.expires_at

    def redeem(self, *, purpose: TokenPurpose, now: datetime, password_changed_at: datetime | None = None) -> None:
        """Use the token, once. ``password_changed_at`` (the account's) ends a reset token issued
        before the password last changed."""
        if purpose is not self.purpose:
            raise TokenInvalid("This link is not valid.", field="token")
        if self.used_at is not None:
            raise TokenAlreadyUsed("This link was already used.", field="token")
        if self.superseded_at is not None:
            raise TokenSuperseded("A newer link was sent; use the latest one.", field="token")
        if now >= self.expires_at:
            raise TokenExpired("This link has expired; ask for a new one.", field="token")
        changed = password_changed_at is not None and password_changed_at > self.issued_at
        if purpose is TokenPurpose.RESET_PASSWORD and changed:
            raise TokenSuperseded("The password changed since this link was sent; ask for a new one.", field="token")
        self.used_at = now

    def supersede(self, now: datetime) -> None:
        """A newer token was issued: this one stops working. Ended tokens stay as they are."""
        if self.used_at is None and self.superseded_at is None:
            self.superseded_at = now
