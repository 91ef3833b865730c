"""An alert rule fires exactly once per breach within its cooldown, on a clock the test moves
(the must-show), and agrees with a plain model of that rule over any sequence of observations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from devforge.adapters.memory.clock import ManualClock
from devforge.domain.analytics.alerts import AlertFiring, AlertRule, AlertState, Condition, Observation
from devforge.domain.analytics.events import AlertFired
from devforge.domain.analytics.queries import Interval
from devforge.domain.shared.errors import RuleViolated

START = datetime(2026, 6, 1, 0, 5, tzinfo=UTC)
COOLDOWN = timedelta(hours=1)
DAY = datetime(2026, 5, 31, tzinfo=UTC)


def a_rule(condition: Condition = Condition.ABOVE, threshold: float = 100, cooldown: timedelta = COOLDOWN) -> AlertRule:
    return AlertRule.create(
        uuid4(), "Downloads spike", "extensions.downloads", condition, threshold, Interval.DAY, cooldown, uuid4(), START
    )


def seen(value: float, **more: float) -> Observation:
    return Observation(DAY, value, **more)  # type: ignore[arg-type]


def test_one_breach_fires_once_within_the_cooldown_and_a_new_breach_after_it_fires_again() -> None:
    clock, rule = ManualClock(START), a_rule()
    firings: list[AlertFiring] = []

    def observe(value: float, after: timedelta) -> None:
        clock.advance(after)
        firing = rule.evaluate(seen(value), clock.now())
        if firing is not None:
            firings.append(firing)

    observe(150, timedelta(0))  # the breach: fires
    observe(160, timedelta(minutes=5))  # the same breach, still going
    observe(50, timedelta(minutes=5))  # back within the rule: cooling down
    observe(170, timedelta(minutes=5))  # a new breach inside the cooldown: quiet
    observe(50, timedelta(minutes=5))
    assert [f.fired_at for f in firings] == [START]
    assert rule.state is AlertState.COOLING
    observe(50, timedelta(minutes=41))  # the cooldown is over (START + 61 min): armed again
    assert rule.state is AlertState.ARMED
    observe(180, timedelta(minutes=4))  # a new breach after the cooldown: fires
    observe(190, timedelta(hours=5))  # it goes on for hours: still the one mail
    assert [f.fired_at for f in firings] == [START, START + timedelta(minutes=65)]
    assert [(f.value, f.threshold) for f in firings] == [(150, 100), (180, 100)]
    events = rule.pull_events()
    assert [type(e) for e in events] == [AlertFired, AlertFired]
    assert isinstance(events[0], AlertFired) and events[0].value == "150" and events[0].threshold == "100"


def test_a_breach_still_standing_when_the_cooldown_ends_fires_then() -> None:
    clock, rule = ManualClock(START), a_rule()
    assert rule.evaluate(seen(150), clock.now()) is not None
    clock.advance(timedelta(minutes=10))
    assert rule.evaluate(seen(50), clock.now()) is None
    clock.advance(timedelta(minutes=10))
    assert rule.evaluate(seen(150), clock.now()) is None
    clock.advance(timedelta(minutes=40))  # START + 60 min: exactly the cooldown
    assert rule.evaluate(seen(150), clock.now()) is not None


@pytest.mark.parametrize(
    ("condition", "threshold", "observation", "bound"),
    [
        (Condition.ABOVE, 100, seen(101), 100),
        (Condition.ABOVE, 100, seen(100), None),
        (Condition.BELOW, 100, seen(99), 100),
        (Condition.BELOW, 100, seen(100), None),
        (Condition.CHANGE, 20, seen(80, previous=100), 20),
        (Condition.CHANGE, 20, seen(121, previous=100), 20),
        (Condition.CHANGE, 20, seen(119, previous=100), None),
        (Condition.CHANGE, 20, seen(5, previous=0), 20),
        (Condition.CHANGE, 20, seen(5), None),
        (Condition.OUTSIDE_FORECAST, 0, seen(79, low=80, high=120), 80),
        (Condition.OUTSIDE_FORECAST, 0, seen(121, low=80, high=120), 120),
        (Condition.OUTSIDE_FORECAST, 0, seen(120, low=80, high=120), None),
        (Condition.OUTSIDE_FORECAST, 0, seen(1_000), None),
    ],
)
def test_each_condition_names_the_bound_it_crossed(
    condition: Condition, threshold: float, observation: Observation, bound: float | None
) -> None:
    assert a_rule(condition, threshold).breach(observation) == bound


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": " "}, "name"),
        ({"cooldown": timedelta(minutes=4)}, "cooldownSeconds"),
        ({"cooldown": timedelta(days=31)}, "cooldownSeconds"),
        ({"threshold": float("nan")}, "threshold"),
        ({"condition": Condition.CHANGE, "threshold": 0}, "threshold"),
        ({"condition": Condition.OUTSIDE_FORECAST, "interval": Interval.HOUR}, "interval"),
        ({"interval": Interval.WEEK}, "interval"),
    ],
)
def test_a_rule_refuses_what_it_cannot_watch_naming_the_field(change: dict[str, object], field: str) -> None:
    values: dict[str, object] = {
        "name": "Spike",
        "condition": Condition.ABOVE,
        "threshold": 1.0,
        "interval": Interval.DAY,
        "cooldown": COOLDOWN,
    } | change
    with pytest.raises(RuleViolated) as refused:
        AlertRule.create(uuid4(), metric="users.daily_active", created_by=uuid4(), at=START, **values)  # type: ignore[arg-type]
    assert refused.value.field == field


def test_the_creator_subscribes_and_subscribers_are_bounded() -> None:
    rule = a_rule()
    assert rule.subscribers == (rule.created_by,)
    for _ in range(19):
        rule.subscribe(uuid4())
    rule.subscribe(rule.created_by)  # twice: once
    with pytest.raises(RuleViolated):
        rule.subscribe(uuid4())
    rule.unsubscribe(rule.created_by)
    assert len(rule.subscribers) == 19


steps = st.lists(st.tuples(st.integers(min_value=1, max_value=90), st.booleans()), min_size=1, max_size=60)


@settings(max_examples=300, deadline=None)
@given(steps=steps, cooldown_minutes=st.integers(min_value=5, max_value=180))
def test_each_run_of_breaches_fires_at_most_once_never_within_the_cooldown(
    steps: list[tuple[int, bool]], cooldown_minutes: int
) -> None:
    """The model: an observation fires when it is breached, its run of breaches has not fired
    yet, and the cooldown since the last firing has passed."""
    cooldown = timedelta(minutes=cooldown_minutes)
    clock, rule = ManualClock(START), a_rule(cooldown=cooldown)
    last: datetime | None = None
    run_fired = False
    for minutes, breached in steps:
        clock.advance(timedelta(minutes=minutes))
        now = clock.now()
        expected = breached and not run_fired and (last is None or now - last >= cooldown)
        fired = rule.evaluate(seen(150 if breached else 50), now) is not None
        assert fired == expected
        if fired:
            last, run_fired = now, True
        if not breached:
            run_fired = False
