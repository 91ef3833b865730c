"""Alert rules on a metric, and the state that makes one breach one mail.

A rule watches a metric's last complete bucket (an hour or a day) and is breached when the
value is above or below a threshold, changed against the bucket before by at least a
percentage, or falls outside the forecast's interval for that day. Its state:

- ``ARMED``: no breach it told of is going on. A breach fires (one ``AlertFiring`` in the
  history, one ``AlertFired`` event: the mail) and the rule turns ``FIRING``.
- ``FIRING``: the breach it fired for goes on; it does not fire again, however long it lasts.
  When the value is back, the rule cools down (``COOLING``) until ``cooldown`` after the firing,
  or is armed again at once if that time has passed.
- ``COOLING``: a flapping metric stays quiet: a breach within the cooldown fires nothing. A
  breach still standing when the cooldown ends fires then (it is a new breach).

So each run of breached observations fires at most once, and never within ``cooldown`` of the
previous firing (``tests/unit/analytics/test_alert_rules.py`` checks it against a model)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4

from devforge.domain.analytics.events import AlertFired
from devforge.domain.analytics.queries import Interval
from devforge.domain.shared.errors import RuleViolated
from devforge.domain.shared.events import EventRecorder

MIN_COOLDOWN = timedelta(minutes=5)
MAX_COOLDOWN = timedelta(days=30)
MAX_SUBSCRIBERS = 20
MAX_THRESHOLD = 1e15
"""Far past any figure: a quadrillion cents."""


class Condition(StrEnum):
    ABOVE = "above"
    """The value is greater than the threshold."""
    BELOW = "below"
    """The value is less than the threshold."""
    CHANGE = "change"
    """The value moved by at least ``threshold`` percent (either way) from the bucket before;
    from zero, any move is a change."""
    OUTSIDE_FORECAST = "outside_forecast"
    """The value is outside the stored forecast's interval for that day (daily rules; no
    forecast for the day: not breached)."""


class AlertState(StrEnum):
    ARMED = "armed"
    FIRING = "firing"
    COOLING = "cooling"


@dataclass(frozen=True, slots=True)
class Observation:
    """The metric's last complete ``bucket``; ``previous`` the bucket before it; ``low``/``high``
    the forecast's interval for the bucket when there is one."""

    bucket: datetime
    value: float
    previous: float | None = None
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True, slots=True)
class AlertFiring:
    """One line of a rule's history: when it fired, for which bucket, the value and the bound crossed."""

    id: UUID
    rule_id: UUID
    fired_at: datetime
    bucket: datetime
    value: float
    threshold: float


@dataclass
class AlertRule(EventRecorder):
    id: UUID
    name: str
    metric: str
    condition: Condition
    threshold: float
    interval: Interval
    cooldown: timedelta
    created_by: UUID
    created_at: datetime
    subscribers: tuple[UUID, ...] = ()
    state: AlertState = AlertState.ARMED
    last_fired_at: datetime | None = None

    @classmethod
    def create(
        cls,
        rule_id: UUID,
        name: str,
        metric: str,
        condition: Condition,
        threshold: float,
        interval: Interval,
        cooldown: timedelta,
        created_by: UUID,
        at: datetime,
    ) -> AlertRule:
        """The creator is its first subscriber."""
        name = name.strip()
        if not 1 <= len(name) <= 100:
            raise RuleViolated("A rule's name is 1 to 100 characters.", field="name")
        if interval not in (Interval.HOUR, Interval.DAY):
            raise RuleViolated("A rule watches an hour or a day.", field="interval")
        if not MIN_COOLDOWN <= cooldown <= MAX_COOLDOWN:
            raise RuleViolated("A cooldown is 5 minutes to 30 days.", field="cooldownSeconds")
        if not math.isfinite(threshold) or abs(threshold) > MAX_THRESHOLD:
            raise RuleViolated("The threshold is a finite number within 1e15.", field="threshold")
        if condition is Condition.CHANGE and threshold <= 0:
            raise RuleViolated("A change is a percentage above zero.", field="threshold")
        if condition is Condition.OUTSIDE_FORECAST and interval is not Interval.DAY:
            raise RuleViolated("Forecasts are daily: such a rule watches a day.", field="interval")
        return cls(rule_id, name, metric, condition, threshold, interval, cooldown, created_by, at, (created_by,))

    def subscribe(self, user_id: UUID) -> None:
        if user_id in self.subscribers:
            return
        if len(self.subscribers) >= MAX_SUBSCRIBERS:
            raise RuleViolated(f"A rule mails at most {MAX_SUBSCRIBERS} subscribers.", field="subscribers")
        self.subscribers = (*self.subscribers, user_id)

    def unsubscribe(self, user_id: UUID) -> None:
        self.subscribers = tuple(s for s in self.subscribers if s != user_id)

    def breach(self, observation: Observation) -> float | None:
        """The bound the observation crossed, or None when it is within the rule."""
        value = observation.value
        if self.condition is Condition.ABOVE:
            return self.threshold if value > self.threshold else None
        if self.condition is Condition.BELOW:
            return self.threshold if value < self.threshold else None
        if self.condition is Condition.CHANGE:
            before = observation.previous
            if before is None or before == value:
                return None
            moved = math.inf if before == 0 else abs(value - before) / abs(before) * 100
            return self.threshold if moved >= self.threshold else None
        low, high = observation.low, observation.high
        if low is not None and value < low:
            return low
        return high if high is not None and value > high else None

    def evaluate(self, observation: Observation, now: datetime) -> AlertFiring | None:
        """Moves the state on; the firing to record when this observation fires the rule."""
        bound = self.breach(observation)
        if self.state is AlertState.COOLING and self._cooled(now):
            self.state = AlertState.ARMED
        if self.state is AlertState.FIRING:
            if bound is None:
                self.state = AlertState.ARMED if self._cooled(now) else AlertState.COOLING
            return None
        if self.state is AlertState.COOLING or bound is None:
            return None
        return self._fire(observation, bound, now)

    def _cooled(self, now: datetime) -> bool:
        return self.last_fired_at is None or now >= self.last_fired_at + self.cooldown

    def _fire(self, observation: Observation, bound: float, now: datetime) -> AlertFiring:
        self.state, self.last_fired_at = AlertState.FIRING, now
        firing = AlertFiring(uuid4(), self.id, now, observation.bucket, observation.value, bound)
        self.record(
            AlertFired(
                occurred_at=now,
                rule_id=self.id,
                rule_name=self.name,
                metric=self.metric,
                condition=self.condition.value,
                bucket=observation.bucket,
                value=figure(observation.value),
                threshold=figure(bound),
                subscribers=self.subscribers,
            )
        )
        return firing


def figure(value: float) -> str:
    """A value as the mail and the event show it: whole numbers without a decimal point."""
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.2f}"
