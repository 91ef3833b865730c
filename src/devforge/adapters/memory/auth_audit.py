from __future__ import annotations

from uuid import UUID

from devforge.application.identity.auth_audit import AuthAuditEntry


class InMemoryAuthAuditLog:
    """Process-wide and outside the memory store, so a rolled-back unit of work keeps its
    audit entries, as the SQL log (its own transaction) does."""

    def __init__(self) -> None:
        self.entries: list[AuthAuditEntry] = []

    async def record(self, entry: AuthAuditEntry) -> None:
        self.entries.append(entry)

    async def list(self, *, user_id: UUID | None = None, limit: int = 100) -> list[AuthAuditEntry]:
        chosen = [e for e in self.entries if user_id is None or e.user_id == user_id]
        return sorted(reversed(chosen), key=lambda e: e.at, reverse=True)[:limit]
