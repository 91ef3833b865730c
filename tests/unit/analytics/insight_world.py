"""A memory container whose metric figures the test sets (``FakeMetricSeries``) and whose clock it moves."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from dishka import AsyncContainer, Provider, Scope

from devforge.adapters.memory.clock import ManualClock
from devforge.application.analytics.forecast_ports import MetricSeries
from devforge.bootstrap.container import make_container, memory_providers
from tests.conftest import manual_clock_provider, settings_for_tests
from tests.fakes.metric_series import FakeMetricSeries


@asynccontextmanager
async def insight_container(clock: ManualClock, series: FakeMetricSeries) -> AsyncIterator[AsyncContainer]:
    fake = Provider(scope=Scope.APP)
    fake.provide(lambda: series, provides=MetricSeries)
    container = make_container(settings_for_tests(), manual_clock_provider(clock), fake, base=memory_providers())
    try:
        yield container
    finally:
        await container.close()
