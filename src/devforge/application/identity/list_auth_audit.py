"""Admins read the authentication audit log."""

from __future__ import annotations

from uuid import UUID

from devforge.application.identity.auth_audit import AuthAuditEntry, AuthAuditLog
from devforge.application.identity.permissions import Authorizer
from devforge.application.identity.principal import Principal
from devforge.domain.identity.permissions import IdentityPermission

MAX_LIMIT = 500


class ListAuthAudit:
    """Needs ``audit:read`` (admins, with two-factor on); newest first, at most 500 entries."""

    def __init__(self, log: AuthAuditLog, authorizer: Authorizer) -> None:
        self._log, self._authorize = log, authorizer

    async def __call__(self, principal: Principal, *, user_id: UUID | None, limit: int) -> list[AuthAuditEntry]:
        await self._authorize(principal, IdentityPermission.AUDIT_READ, resource="auth_audit")
        return await self._log.list(user_id=user_id, limit=max(1, min(limit, MAX_LIMIT)))
