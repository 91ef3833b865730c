"""Alerts end to end on memory, with a clock the test moves: the worker's round evaluates the
rule, a breach is mailed once to each subscriber through the outbox and the delivery ledger (a
round run again, or its events delivered again, mails nothing twice), a new breach after the
cooldown is mailed again, and every firing is in the rule's history."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from dishka import AsyncContainer

from devforge.adapters.memory.clock import ManualClock
from devforge.adapters.memory.mailer import InMemoryMailer
from devforge.application.analytics.change_alert_subscription import ChangeAlertSubscription
from devforge.application.analytics.create_alert_rule import CreateAlertRule, NewAlertRule
from devforge.application.analytics.evaluate_alert_rules import EvaluateAlertRules
from devforge.application.analytics.forecast_ports import ForecastRepository
from devforge.application.analytics.show_alert_rule import ShowAlertRule
from devforge.application.common.actor import Actor
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.alerts import AlertState, Condition
from devforge.domain.analytics.forecasting import Backtest, Forecast, ForecastPoint
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval
from devforge.domain.identity.roles import Role
from devforge.domain.shared.errors import NotPermitted, RuleViolated
from tests.access_world import add_account
from tests.fakes.metric_series import FakeMetricSeries
from tests.outbox_drain import drain
from tests.unit.analytics.insight_world import insight_container

NOW = datetime(2026, 6, 2, 0, 5, tzinfo=UTC)
DOWNLOADS = "extensions.downloads"


@pytest.fixture
def series() -> FakeMetricSeries:
    return FakeMetricSeries(DOWNLOADS)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(NOW)


@pytest.fixture
async def container(clock: ManualClock, series: FakeMetricSeries) -> AsyncIterator[AsyncContainer]:
    async with insight_container(clock, series) as built:
        yield built


async def analyst(container: AsyncContainer, name: str) -> Actor:
    user_id = await add_account(container, f"{name}@example.com", Role.ANALYST, two_factor=True)
    return Actor.holding(user_id, AnalyticsPermission.ALERTS_MANAGE)


async def a_rule(container: AsyncContainer, maker: Actor, **change: object) -> UUID:
    values: dict[str, object] = {
        "name": "Downloads spike",
        "metric": DOWNLOADS,
        "condition": Condition.ABOVE,
        "threshold": 100.0,
        "interval": Interval.DAY,
        "cooldown": timedelta(hours=1),
    } | change
    async with container() as scope:
        return (await (await scope.get(CreateAlertRule))(maker, NewAlertRule(**values))).id  # type: ignore[arg-type]


async def alert_round(container: AsyncContainer) -> None:
    async with container() as scope:
        await (await scope.get(EvaluateAlertRules))()
    await drain(container)


def day(at: datetime) -> datetime:
    return at.replace(hour=0, minute=0) - timedelta(days=1)


async def test_a_breach_is_mailed_once_to_each_subscriber_and_a_new_breach_after_the_cooldown_again(
    container: AsyncContainer, clock: ManualClock, series: FakeMetricSeries
) -> None:
    maker, colleague = await analyst(container, "maker"), await analyst(container, "colleague")
    mailer = await container.get(InMemoryMailer)
    rule_id = await a_rule(container, maker)
    async with container() as scope:
        await (await scope.get(ChangeAlertSubscription))(colleague, rule_id, subscribed=True)

    series.set(DOWNLOADS, Interval.DAY, day(clock.now()), 150)  # yesterday: a spike
    await alert_round(container)
    await alert_round(container)  # the same round again (a worker that ran it twice): nothing new
    clock.advance(timedelta(minutes=5))
    await alert_round(container)  # the breach goes on
    assert sorted(m.to for m in mailer.sent) == ["colleague@example.com", "maker@example.com"]
    assert mailer.sent[0].subject == "Alert: Downloads spike"
    assert "extensions.downloads rose above 100" in mailer.sent[0].text and ": 150." in mailer.sent[0].text

    clock.advance(timedelta(days=1))  # today's yesterday is quiet: the rule cools down, then re-arms
    series.set(DOWNLOADS, Interval.DAY, day(clock.now()), 60)
    await alert_round(container)
    clock.advance(timedelta(days=1))
    series.set(DOWNLOADS, Interval.DAY, day(clock.now()), 300)  # a new breach, the cooldown long over
    await alert_round(container)
    await alert_round(container)
    assert len(mailer.sent) == 4

    async with container() as scope:
        shown = await (await scope.get(ShowAlertRule))(maker, rule_id)
    assert shown.rule.state is AlertState.FIRING
    assert [(f.bucket, f.value, f.threshold) for f in shown.firings] == [
        (day(clock.now()), 300, 100),
        (day(NOW), 150, 100),
    ]


async def test_the_round_reads_each_metric_once_and_a_rule_outside_its_forecast_needs_one(
    container: AsyncContainer, clock: ManualClock, series: FakeMetricSeries
) -> None:
    maker = await analyst(container, "maker")
    mailer = await container.get(InMemoryMailer)
    await a_rule(container, maker)
    await a_rule(container, maker, name="Off forecast", condition=Condition.OUTSIDE_FORECAST, threshold=0.0)
    series.set(DOWNLOADS, Interval.DAY, day(clock.now()), 50)
    await alert_round(container)
    assert series.reads == 1
    assert mailer.sent == []  # within the threshold, and no forecast to be outside of


async def test_only_analysts_and_admins_make_rules_and_only_on_a_known_metric(container: AsyncContainer) -> None:
    maker = await analyst(container, "maker")
    with pytest.raises(NotPermitted):
        await a_rule(container, Actor.holding(maker.user_id, AnalyticsPermission.READ))
    with pytest.raises(RuleViolated) as refused:
        await a_rule(container, maker, metric="users.nonexistent")
    assert refused.value.field == "metric"


async def test_a_day_outside_the_stored_forecasts_interval_fires_naming_the_bound(
    container: AsyncContainer, clock: ManualClock, series: FakeMetricSeries
) -> None:
    maker = await analyst(container, "maker")
    mailer = await container.get(InMemoryMailer)
    rule_id = await a_rule(container, maker, name="Off forecast", condition=Condition.OUTSIDE_FORECAST, threshold=0.0)
    yesterday = day(clock.now())
    point = ForecastPoint(yesterday.date(), 100.0, 80.0, 120.0)
    forecast = Forecast(
        DOWNLOADS, "", "AutoETS", 80, NOW, yesterday.date() - timedelta(days=1), (point,), Backtest(28, 3.0, 0.8)
    )
    async with container() as scope:
        await (await scope.get(ForecastRepository)).save(forecast)  # type: ignore[type-abstract]
        await (await scope.get(UnitOfWork)).commit()  # type: ignore[type-abstract]
    series.set(DOWNLOADS, Interval.DAY, yesterday, 200)
    await alert_round(container)
    assert [m.subject for m in mailer.sent] == ["Alert: Off forecast"]
    assert "left its forecast's interval (bound 120)" in mailer.sent[0].text
    async with container() as scope:
        shown = await (await scope.get(ShowAlertRule))(maker, rule_id)
    assert [(f.value, f.threshold) for f in shown.firings] == [(200, 120)]
