"""The authentication audit log: every sign-in attempt, second factor, refresh-token reuse,
sign-out and re-authentication (password or code confirming a sensitive action), success or
failure, for admins to query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID, uuid4

from devforge.application.common.clock import Clock
from devforge.application.identity.opaque_tokens import OpaqueTokens


class AuditKind(StrEnum):
    LOGIN = "login"
    TWO_FACTOR = "two_factor"
    REFRESH = "refresh"
    LOGOUT = "logout"
    REAUTHENTICATE = "reauthenticate"


class AuditOutcome(StrEnum):
    SUCCESS = "success"
    FAILURE = "failure"
    THROTTLED = "throttled"
    CHALLENGED = "challenged"
    REUSE_DETECTED = "reuse_detected"


@dataclass(frozen=True, slots=True)
class AuthAuditEntry:
    id: UUID
    at: datetime
    kind: AuditKind
    outcome: AuditOutcome
    user_id: UUID | None = None
    email_digest: str = ""
    ip: str = ""
    user_agent: str = ""
    detail: str = ""


class AuthAuditLog(Protocol):
    """NOT transactional with the use case: each entry is kept at once, on its own, so a refused
    attempt is recorded although the use case that refused it rolls back. Append-only."""

    async def record(self, entry: AuthAuditEntry) -> None: ...

    async def list(self, *, user_id: UUID | None = None, limit: int = 100) -> list[AuthAuditEntry]:
        """Newest first; only ``user_id``'s entries when given."""
        ...


class AuthAudit:
    """Writes entries for the use cases. An email is kept as a keyed digest, never in plain:
    attempts against one address can be grouped without storing what strangers typed."""

    def __init__(self, log: AuthAuditLog, opaque_tokens: OpaqueTokens, clock: Clock) -> None:
        self._log, self._opaque, self._clock = log, opaque_tokens, clock

    def email_digest(self, normalized_email: str) -> str:
        return self._opaque.digest(f"email:{normalized_email}")

    async def __call__(
        self,
        kind: AuditKind,
        outcome: AuditOutcome,
        *,
        user_id: UUID | None = None,
        email: str = "",
        ip: str = "",
        user_agent: str = "",
        detail: str = "",
    ) -> None:
        await self._log.record(
            AuthAuditEntry(
                id=uuid4(),
                at=self._clock.now(),
                kind=kind,
                outcome=outcome,
                user_id=user_id,
                email_digest=self.email_digest(email) if email else "",
                ip=ip[:64],
                user_agent=user_agent[:200],
                detail=detail[:200],
            )
        )
