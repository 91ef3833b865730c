"""Forecasts and alert rules in memory, for unit tests and the in-memory container."""

from __future__ import annotations

from uuid import UUID

from devforge.adapters.memory.store import MemoryStore, Tables, detached
from devforge.domain.analytics.alerts import AlertFiring, AlertRule
from devforge.domain.analytics.forecasting import Forecast


class InMemoryForecastRepository:
    def __init__(self, store: Tables) -> None:
        self._rows: dict[tuple[str, str], Forecast] = store.table("analytics_forecasts")

    async def save(self, forecast: Forecast) -> None:
        self._rows[forecast.metric, forecast.scope] = forecast  # frozen: nothing to detach

    async def get(self, metric: str, scope: str = "") -> Forecast | None:
        return self._rows.get((metric, scope))


class InMemoryAlertRuleRepository:
    def __init__(self, store: Tables) -> None:
        self._rules: dict[UUID, AlertRule] = store.table("analytics_alert_rules")
        self._firings: dict[UUID, AlertFiring] = store.table("analytics_alert_firings")

    async def add(self, rule: AlertRule) -> None:
        self._rules[rule.id] = detached(rule)

    async def get(self, rule_id: UUID, *, for_update: bool = False) -> AlertRule | None:
        rule = self._rules.get(rule_id)
        return detached(rule) if rule else None

    async def all(self) -> list[AlertRule]:
        return sorted((detached(r) for r in self._rules.values()), key=lambda r: (r.created_at, r.id.int))

    async def update(self, rule: AlertRule) -> None:
        self._rules[rule.id] = detached(rule)

    async def delete(self, rule_id: UUID) -> None:
        for firing in [f for f in self._firings.values() if f.rule_id == rule_id]:
            del self._firings[firing.id]
        self._rules.pop(rule_id, None)

    async def add_firing(self, firing: AlertFiring) -> None:
        self._firings[firing.id] = firing

    async def firings(self, rule_id: UUID, limit: int) -> list[AlertFiring]:
        mine = [f for f in self._firings.values() if f.rule_id == rule_id]
        return sorted(mine, key=lambda f: (f.fired_at, f.id.int), reverse=True)[:limit]


class InMemoryAlertRuleReader:
    """The repository's reads on the live store (committed rules only)."""

    def __init__(self, store: MemoryStore) -> None:
        self._rules = InMemoryAlertRuleRepository(store)

    async def get(self, rule_id: UUID) -> AlertRule | None:
        return await self._rules.get(rule_id)

    async def all(self) -> list[AlertRule]:
        return await self._rules.all()

    async def firings(self, rule_id: UUID, limit: int) -> list[AlertFiring]:
        return await self._rules.firings(rule_id, limit)
