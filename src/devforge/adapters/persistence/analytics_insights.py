"""Analytics' forecasts and alert rules on the service's database. The rules' pages read on the
common read path (``SqlaAlertRuleReader``: one statement a call, no session, no transaction)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.tables.analytics import (
    analytics_alert_firings as firings,
)
from devforge.adapters.persistence.tables.analytics import (
    analytics_alert_rules as rules,
)
from devforge.adapters.persistence.tables.analytics import (
    analytics_forecasts as forecasts,
)
from devforge.domain.analytics.alerts import AlertFiring, AlertRule, AlertState, Condition
from devforge.domain.analytics.forecasting import Backtest, Forecast, ForecastPoint
from devforge.domain.analytics.queries import Interval


class SqlaForecastRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def save(self, forecast: Forecast) -> None:
        key = (forecasts.c.metric == forecast.metric) & (forecasts.c.scope == forecast.scope)
        await self._session.execute(delete(forecasts).where(key))
        await self._session.execute(insert(forecasts).values(_forecast_row(forecast)))

    async def get(self, metric: str, scope: str = "") -> Forecast | None:
        query = select(forecasts).where((forecasts.c.metric == metric) & (forecasts.c.scope == scope))
        row = (await self._session.execute(query)).mappings().first()
        return _forecast(row) if row else None


def _forecast_row(forecast: Forecast) -> dict[str, Any]:
    return {
        "metric": forecast.metric,
        "scope": forecast.scope,
        "model": forecast.model,
        "level": forecast.level,
        "computed_at": forecast.computed_at,
        "history_end": forecast.history_end,
        "points": [[p.mean, p.low, p.high] for p in forecast.points],
        "holdout_days": forecast.backtest.holdout_days,
        "mape": forecast.backtest.mape,
        "coverage": forecast.backtest.coverage,
    }


def _forecast(row: Any) -> Forecast:
    """The points are the days after ``history_end``, in order: only their figures are stored."""
    end: date = row["history_end"]
    points = tuple(
        ForecastPoint(end + timedelta(days=i + 1), mean, low, high) for i, (mean, low, high) in enumerate(row["points"])
    )
    backtest = Backtest(row["holdout_days"], row["mape"], row["coverage"])
    return Forecast(row["metric"], row["scope"], row["model"], row["level"], row["computed_at"], end, points, backtest)


class SqlaAlertRuleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, rule: AlertRule) -> None:
        await self._session.execute(insert(rules).values(_rule_row(rule)))

    async def get(self, rule_id: UUID, *, for_update: bool = False) -> AlertRule | None:
        query = select(rules).where(rules.c.id == rule_id)
        if for_update:
            query = query.with_for_update()
        row = (await self._session.execute(query)).mappings().first()
        return _rule(row) if row else None

    async def all(self) -> list[AlertRule]:
        query = select(rules).order_by(rules.c.created_at, rules.c.id)
        return [_rule(row) for row in (await self._session.execute(query)).mappings()]

    async def update(self, rule: AlertRule) -> None:
        await self._session.execute(update(rules).where(rules.c.id == rule.id).values(_rule_row(rule)))

    async def delete(self, rule_id: UUID) -> None:
        await self._session.execute(delete(firings).where(firings.c.rule_id == rule_id))
        await self._session.execute(delete(rules).where(rules.c.id == rule_id))

    async def add_firing(self, firing: AlertFiring) -> None:
        await self._session.execute(
            insert(firings).values(
                id=firing.id,
                rule_id=firing.rule_id,
                fired_at=firing.fired_at,
                bucket=firing.bucket,
                value=firing.value,
                threshold=firing.threshold,
            )
        )

    async def firings(self, rule_id: UUID, limit: int) -> list[AlertFiring]:
        query = (
            select(firings)
            .where(firings.c.rule_id == rule_id)
            .order_by(firings.c.fired_at.desc(), firings.c.id.desc())
            .limit(limit)
        )
        return [AlertFiring(**row) for row in (await self._session.execute(query)).mappings()]


class SqlaAlertRuleReader:
    """The rules' committed reads on the common read path, one statement a call."""

    def __init__(self, reads: ReadPath) -> None:
        self._one = reads.prepare(select(rules).where(rules.c.id == bindparam("rule_id")))
        self._all = reads.prepare(select(rules).order_by(rules.c.created_at, rules.c.id))
        self._firings = reads.prepare(
            select(firings)
            .where(firings.c.rule_id == bindparam("rule_id"))
            .order_by(firings.c.fired_at.desc(), firings.c.id.desc())
            .limit(bindparam("limit"))
        )

    async def get(self, rule_id: UUID) -> AlertRule | None:
        row = await self._one.row(rule_id=rule_id)
        return _rule(row) if row else None

    async def all(self) -> list[AlertRule]:
        return [_rule(row) for row in await self._all.rows()]

    async def firings(self, rule_id: UUID, limit: int) -> list[AlertFiring]:
        return [AlertFiring(**row) for row in await self._firings.rows(rule_id=rule_id, limit=limit)]


def _rule_row(rule: AlertRule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "metric": rule.metric,
        "condition": rule.condition.value,
        "threshold": rule.threshold,
        "interval": rule.interval.value,
        "cooldown_seconds": int(rule.cooldown.total_seconds()),
        "subscribers": [str(s) for s in rule.subscribers],
        "state": rule.state.value,
        "last_fired_at": rule.last_fired_at,
        "created_by": rule.created_by,
        "created_at": rule.created_at,
    }


def _rule(row: Any) -> AlertRule:
    return AlertRule(
        id=row["id"],
        name=row["name"],
        metric=row["metric"],
        condition=Condition(row["condition"]),
        threshold=row["threshold"],
        interval=Interval(row["interval"]),
        cooldown=timedelta(seconds=row["cooldown_seconds"]),
        created_by=row["created_by"],
        created_at=row["created_at"],
        subscribers=tuple(UUID(s) for s in row["subscribers"]),
        state=AlertState(row["state"]),
        last_fired_at=row["last_fired_at"],
    )
