"""Sessions and their refresh-token family.

A session is one signed-in device. It is a family of refresh tokens: each refresh rotates the
token, and only the newest token of the family is good. Presenting an older one means a copy
leaked, so the whole family (the session) is revoked on the spot. Whatever the rotations, a
session ends at its absolute expiry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from devforge.domain.identity.errors import RefreshTokenReused, SessionInvalid
from devforge.domain.identity.events import SessionRevoked, SessionStarted
from devforge.domain.shared.events import EventRecorder


@dataclass(eq=False)
class Session(EventRecorder):
    id: UUID
    user_id: UUID
    current_token_digest: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime
    ip: str = ""
    device: str = ""
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    version: int = 0

    @classmethod
    def start(
        cls,
        *,
        session_id: UUID,
        user_id: UUID,
        token_digest: str,
        now: datetime,
        lifetime: timedelta,
        ip: str,
        device: str,
    ) -> Session:
        session = cls(
            id=session_id,
            user_id=user_id,
            current_token_digest=token_digest,
            created_at=now,
            expires_at=now + lifetime,
            last_used_at=now,
            ip=ip,
            device=device[:200],
        )
        session.record(
            SessionStarted(occurred_at=now, user_id=user_id, session_id=session_id, ip=ip, device=device[:200])
        )
        return session

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def ensure_active(self, now: datetime) -> None:
        if not self.is_active(now):
            raise SessionInvalid("The session has ended; sign in again.")

    def rotate(self, *, presented_digest: str, new_digest: str, now: datetime) -> None:
        """Swap the newest refresh token for a new one; an older token revokes the family."""
        self.ensure_active(now)
        if presented_digest != self.current_token_digest:
            self.revoke(now=now, reason="refresh_token_reused")
            raise RefreshTokenReused("This refresh token was already used; the session is revoked.")
        self.current_token_digest = new_digest
        self.last_used_at = now

    def revoke(self, *, now: datetime, reason: str) -> None:
        """Revoking is idempotent: an ended session stays ended with its first reason."""
        if self.revoked_at is not None:
            return
        self.revoked_at = now
        self.revoke_reason = reason
        self.record(SessionRevoked(occurred_at=now, user_id=self.user_id, session_id=self.id, reason=reason))
