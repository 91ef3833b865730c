"""The worker's alert round: each rule looks at its metric's last complete hour or day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from devforge.application.analytics.alert_ports import AlertRuleRepository
from devforge.application.analytics.forecast_ports import ForecastRepository, MetricSeries
from devforge.application.analytics.publication import record_events
from devforge.application.common.clock import Clock
from devforge.application.common.outbox import Outbox
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.alerts import AlertRule, Condition, Observation
from devforge.domain.analytics.queries import Interval, bucket_of

STEP = {Interval.HOUR: timedelta(hours=1), Interval.DAY: timedelta(days=1)}


@dataclass(frozen=True, slots=True)
class AlertRound:
    rules: int
    fired: int


class EvaluateAlertRules:
    """Each rule is locked, evaluated and committed on its own, with its firing in the history
    and its ``AlertFired`` in the outbox in the same transaction: the notifications consumer
    mails the subscribers once per event (the delivery ledger), and the rule's state, committed
    with it, is what keeps the next round from firing the same breach again."""

    def __init__(
        self,
        rules: AlertRuleRepository,
        series: MetricSeries,
        forecasts: ForecastRepository,
        outbox: Outbox,
        uow: UnitOfWork,
        clock: Clock,
    ) -> None:
        self._rules, self._series, self._forecasts = rules, series, forecasts
        self._outbox, self._uow, self._clock = outbox, uow, clock

    async def __call__(self) -> AlertRound:
        now = self._clock.now()
        ids = [rule.id for rule in await self._rules.all()]
        await self._uow.rollback()
        seen: dict[tuple[str, Interval], Observation] = {}
        fired = 0
        for rule_id in ids:
            rule = await self._rules.get(rule_id, for_update=True)
            if rule is None or not self._series.knows(rule.metric, rule.interval):
                await self._uow.rollback()
                continue
            key = (rule.metric, rule.interval)
            if key not in seen:
                seen[key] = await self._observe(rule, now)
            before = (rule.state, rule.last_fired_at)
            firing = rule.evaluate(await self._with_forecast(rule, seen[key]), now)
            if before == (rule.state, rule.last_fired_at):
                await self._uow.rollback()
                continue
            if firing is not None:
                await self._rules.add_firing(firing)
                fired += 1
            await self._rules.update(rule)
            await record_events(self._outbox, rule)
            await self._uow.commit()
        return AlertRound(len(ids), fired)

    async def _observe(self, rule: AlertRule, now: datetime) -> Observation:
        step = STEP[rule.interval]
        current = bucket_of(now, rule.interval)
        previous, last = await self._series.values(rule.metric, current - 2 * step, current, rule.interval)
        return Observation(current - step, last, previous)

    async def _with_forecast(self, rule: AlertRule, observation: Observation) -> Observation:
        if rule.condition is not Condition.OUTSIDE_FORECAST:
            return observation
        forecast = await self._forecasts.get(rule.metric)
        point = forecast.on(observation.bucket.date()) if forecast else None
        if point is None:
            return observation
        return Observation(observation.bucket, observation.value, observation.previous, point.low, point.high)
