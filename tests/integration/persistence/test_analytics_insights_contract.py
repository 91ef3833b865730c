"""One contract for analytics' forecast and alert rule repositories, on memory, SQLite and
PostgreSQL: a forecast round-trips and is replaced by the next; a rule keeps its state,
subscribers and history (newest first, bounded), and the reader outside a unit of work sees what
the repository does, committed; deleting a rule deletes its history; a rollback keeps nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest
from dishka import AsyncContainer

from devforge.application.analytics.alert_ports import AlertRuleReader, AlertRuleRepository
from devforge.application.analytics.forecast_ports import ForecastRepository
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.alerts import AlertRule, AlertState, Condition, Observation
from devforge.domain.analytics.forecasting import Backtest, Forecast, ForecastPoint
from devforge.domain.analytics.queries import Interval
from tests.integration.backends import BACKENDS, backend_container

AT = datetime(2026, 3, 1, 9, 30, 0, 123456, tzinfo=UTC)
END = date(2026, 2, 28)


@pytest.fixture(params=BACKENDS)
async def container(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    async with backend_container(request.param, tmp_path) as built:
        yield built


def a_forecast(mape: float | None, metric: str = "revenue.mrr") -> Forecast:
    points = tuple(ForecastPoint(END + timedelta(days=i), 100.5 + i, 90.25, 110.75 + i) for i in range(1, 29))
    return Forecast(metric, "", "AutoETS", 80, AT, END, points, Backtest(28, mape, 0.75))


def a_rule(at: datetime = AT) -> AlertRule:
    return AlertRule.create(
        uuid4(), "MRR drop", "revenue.mrr", Condition.BELOW, 1234.5, Interval.DAY, timedelta(hours=6), uuid4(), at
    )


async def test_a_forecast_round_trips_and_the_next_replaces_it(container: AsyncContainer) -> None:
    async with container() as scope:
        forecasts = await scope.get(ForecastRepository)  # type: ignore[type-abstract]
        await forecasts.save(a_forecast(4.25))
        await forecasts.save(a_forecast(None, metric="users.daily_active"))
        await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    async with container() as scope:
        forecasts = await scope.get(ForecastRepository)  # type: ignore[type-abstract]
        assert await forecasts.get("revenue.mrr") == a_forecast(4.25)
        assert await forecasts.get("users.daily_active") == a_forecast(None, metric="users.daily_active")
        assert await forecasts.get("revenue.mrr", scope="publisher:x") is None
        await forecasts.save(a_forecast(7.5))
        await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    async with container() as scope:
        stored = await (await scope.get(ForecastRepository)).get("revenue.mrr")  # type: ignore[type-abstract]
        assert stored is not None and stored.backtest.mape == 7.5


async def test_a_rule_keeps_its_state_subscribers_and_history(container: AsyncContainer) -> None:
    older, newer = a_rule(), a_rule(AT + timedelta(minutes=1))
    subscriber = uuid4()
    older.subscribe(subscriber)
    async with container() as scope:
        rules = await scope.get(AlertRuleRepository)  # type: ignore[type-abstract]
        await rules.add(newer)
        await rules.add(older)
        await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    firings = []
    for hours in (0, 7, 14):
        async with container() as scope:
            rules = await scope.get(AlertRuleRepository)  # type: ignore[type-abstract]
            rule = await rules.get(older.id, for_update=True)
            assert rule is not None
            rule.state = AlertState.ARMED  # as if it had cooled down
            firing = rule.evaluate(Observation(AT + timedelta(hours=hours), 1.0 + hours), AT + timedelta(hours=hours))
            assert firing is not None
            firings.append(firing)
            await rules.add_firing(firing)
            await rules.update(rule)
            await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    async with container() as scope:
        rules = await scope.get(AlertRuleRepository)  # type: ignore[type-abstract]
        stored = await rules.get(older.id)
        assert stored is not None
        assert stored.subscribers == (older.created_by, subscriber)
        assert (stored.state, stored.last_fired_at) == (AlertState.FIRING, firings[-1].fired_at)
        assert (stored.threshold, stored.cooldown, stored.condition) == (1234.5, timedelta(hours=6), Condition.BELOW)
        assert [r.id for r in await rules.all()] == [older.id, newer.id]
        assert await rules.firings(older.id, limit=2) == firings[::-1][:2]
        assert await rules.firings(newer.id, limit=10) == []
        reader = await scope.get(AlertRuleReader)  # type: ignore[type-abstract]
        assert await reader.get(older.id) == stored
        assert await reader.all() == await rules.all()
        assert await reader.firings(older.id, limit=2) == firings[::-1][:2]
        assert await reader.firings(newer.id, limit=10) == []
        await rules.delete(older.id)
        await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    async with container() as scope:
        rules = await scope.get(AlertRuleRepository)  # type: ignore[type-abstract]
        assert await rules.get(older.id) is None and await rules.firings(older.id, limit=10) == []
        assert [r.id for r in await rules.all()] == [newer.id]
        assert [r.id for r in await (await scope.get(AlertRuleReader)).all()] == [newer.id]  # type: ignore[type-abstract]
        reader = await scope.get(AlertRuleReader)  # type: ignore[type-abstract]
        assert await reader.get(older.id) is None and await reader.firings(older.id, limit=10) == []


async def test_without_commit_nothing_is_kept(container: AsyncContainer) -> None:
    rule = a_rule()
    async with container() as scope:
        await (await scope.get(AlertRuleRepository)).add(rule)  # type: ignore[type-abstract]
        await (await scope.get(ForecastRepository)).save(a_forecast(1.0))  # type: ignore[type-abstract]
    async with container() as scope:
        assert await (await scope.get(AlertRuleRepository)).get(rule.id) is None  # type: ignore[type-abstract]
        assert await (await scope.get(ForecastRepository)).get("revenue.mrr") is None  # type: ignore[type-abstract]
