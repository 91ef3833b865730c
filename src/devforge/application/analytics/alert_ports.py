"""Where alert rules and their history are kept."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from devforge.domain.analytics.alerts import AlertFiring, AlertRule


class AlertRuleRepository(Protocol):
    """Transactional (the service's database). A rule's firing and its new state commit together."""

    async def add(self, rule: AlertRule) -> None: ...

    async def get(self, rule_id: UUID, *, for_update: bool = False) -> AlertRule | None: ...

    async def all(self) -> list[AlertRule]:
        """Every rule, oldest first."""
        ...

    async def update(self, rule: AlertRule) -> None: ...

    async def delete(self, rule_id: UUID) -> None:
        """The rule and its history."""
        ...

    async def add_firing(self, firing: AlertFiring) -> None: ...

    async def firings(self, rule_id: UUID, limit: int) -> list[AlertFiring]:
        """The rule's history, newest first."""
        ...


class AlertRuleReader(Protocol):
    """Committed rules and their history, read outside a unit of work (the rules' pages): a
    plain read, no lock, nothing uncommitted of the caller's own to see."""

    async def get(self, rule_id: UUID) -> AlertRule | None: ...

    async def all(self) -> list[AlertRule]:
        """Every rule, oldest first."""
        ...

    async def firings(self, rule_id: UUID, limit: int) -> list[AlertFiring]:
        """The rule's history, newest first."""
        ...
