"""An analyst or admin makes an alert rule on a metric; they are its first subscriber."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import uuid4

from devforge.application.analytics.alert_ports import AlertRuleRepository
from devforge.application.analytics.forecast_ports import MetricSeries
from devforge.application.common.actor import Actor
from devforge.application.common.clock import Clock
from devforge.application.common.unit_of_work import UnitOfWork
from devforge.domain.analytics.alerts import AlertRule, Condition
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval
from devforge.domain.shared.errors import NotPermitted, RuleViolated


@dataclass(frozen=True, slots=True)
class NewAlertRule:
    name: str
    metric: str
    condition: Condition
    threshold: float
    interval: Interval
    cooldown: timedelta


class CreateAlertRule:
    def __init__(self, rules: AlertRuleRepository, series: MetricSeries, clock: Clock, uow: UnitOfWork) -> None:
        self._rules, self._series, self._clock, self._uow = rules, series, clock, uow

    async def __call__(self, actor: Actor, new: NewAlertRule) -> AlertRule:
        if not actor.may(AnalyticsPermission.ALERTS_MANAGE):
            raise NotPermitted("Only analysts and administrators make alert rules.")
        if not self._series.knows(new.metric, new.interval):
            raise RuleViolated(f"No metric {new.metric!r} to watch by the {new.interval}.", field="metric")
        rule = AlertRule.create(
            uuid4(),
            new.name,
            new.metric,
            new.condition,
            new.threshold,
            new.interval,
            new.cooldown,
            actor.user_id,
            self._clock.now(),
        )
        await self._rules.add(rule)
        await self._uow.commit()
        return rule
