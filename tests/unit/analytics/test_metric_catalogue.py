"""The metric catalogue: versioned definitions a context adds to, read through ``EvaluateMetric``
with who-sees-what, the limits and the time budget."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore, InMemoryLiveCounters
from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricLimits, MetricRequest
from devforge.application.analytics.figure_cache import FigureCache
from devforge.application.analytics.metric_catalogue import Metric, MetricCatalogue, MetricPoint, MetricWindow
from devforge.application.analytics.metric_shapes import Count
from devforge.application.analytics.ports import AnalyticsStore
from devforge.application.analytics.when_fact_published_record_it import WhenFactPublishedRecordIt
from devforge.application.common.actor import Actor
from devforge.application.identity.published import UserRegisteredV1
from devforge.application.licensing.published import LicenseActivatedV1
from devforge.application.marketplace.published import ExtensionDownloadedV1, RatingWrittenV1, VersionReviewedV1
from devforge.bootstrap.context import Context
from devforge.bootstrap.contexts import CONTEXTS
from devforge.domain.analytics.errors import MetricNotFound, MetricRequestRefused, QueryOverBudget
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.metrics import EXTENSION_DIMENSION, MetricDefinition, Unit
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Filter, Interval

AT = datetime(2026, 5, 4, 10, tzinfo=UTC)
ANALYST = Actor.holding(uuid4(), AnalyticsPermission.READ, AnalyticsPermission.OWN)
DEVELOPER = Actor.holding(uuid4(), AnalyticsPermission.OWN)
CUSTOMER = Actor.holding(uuid4())
MINE, THEIRS = uuid4(), uuid4()
TICKETS = MetricDefinition(
    key="support.tickets_opened",
    version=1,
    title="Tickets opened",
    definition="Support tickets opened in the bucket.",
    unit=Unit.EVENTS,
    intervals=frozenset(Interval),
)


class OwnersOfOne:
    """The developer is in one publisher with one extension (``MINE``); nobody else owns anything."""

    def __init__(self, publisher: UUID | None = None) -> None:
        self.publisher = publisher or uuid4()

    async def extensions_of(self, user_id: UUID) -> frozenset[UUID]:
        return frozenset({MINE}) if user_id == DEVELOPER.user_id else frozenset()

    async def publishers_of(self, user_id: UUID) -> frozenset[UUID]:
        return frozenset({self.publisher}) if user_id == DEVELOPER.user_id else frozenset()


class Slow:
    shape = "sleeps"

    async def __call__(self, store: AnalyticsStore, window: MetricWindow) -> list[MetricPoint]:
        await asyncio.sleep(5)
        return []


async def downloads(store: InMemoryAnalyticsStore, extension: UUID, count: int, kind: str = "install") -> None:
    consumer = WhenFactPublishedRecordIt(store, InMemoryLiveCounters())
    for n in range(count):
        fact = ExtensionDownloadedV1(extension_id=extension, version_id=uuid4(), version=f"1.0.{n}", kind=kind, day="")
        await consumer.handle(fact.envelope(AT + timedelta(minutes=n)))


def evaluator(store: InMemoryAnalyticsStore, limits: MetricLimits | None = None) -> EvaluateMetric:
    return EvaluateMetric(CONTEXTS.metric_catalogue(), store, OwnersOfOne(), limits or MetricLimits(), uncached())


def uncached() -> FigureCache:
    """TTL 0: every evaluation asks the store (these tests change the store between asks)."""
    return FigureCache(0, 1, lambda: AT)


def asking(key: str, **more: object) -> MetricRequest:
    return MetricRequest(key, AT - timedelta(days=2), AT + timedelta(days=1), **more)  # type: ignore[arg-type]


def test_a_context_adds_metrics_and_each_version_stays_readable() -> None:
    tickets = Metric(TICKETS, Count(("ticket_opened",)))
    revised = Metric(
        replace(TICKETS, version=2, definition="Tickets opened, spam left out."), Count(("ticket_opened",))
    )
    support = Context(name="support", metrics=(tickets, revised))
    catalogue = CONTEXTS.including(support).metric_catalogue()
    assert catalogue.get("support.tickets_opened") is revised
    assert catalogue.get("support.tickets_opened", 1) is tickets
    assert [m.definition.version for m in catalogue.versions("support.tickets_opened")] == [1, 2]
    assert catalogue.get("extensions.downloads") is not None  # the contexts' own are there too
    with pytest.raises(ValueError, match="registered twice"):
        MetricCatalogue([tickets, tickets])


def test_a_definition_is_written_and_keyed() -> None:
    with pytest.raises(ValueError, match="written definition"):
        replace(TICKETS, definition=" ")
    with pytest.raises(ValueError, match=r"<group>\.<name>"):
        replace(TICKETS, key="Tickets")


async def test_an_analyst_reads_every_extension_by_day() -> None:
    store = InMemoryAnalyticsStore()
    await downloads(store, MINE, 3)
    await downloads(store, THEIRS, 2, kind="update")
    series = await evaluator(store)(ANALYST, asking("extensions.downloads", breakdown=EXTENSION_DIMENSION))
    assert sorted((p.breakdown, p.value) for p in series.points) == sorted([(str(MINE), 3), (str(THEIRS), 2)])
    installs = await evaluator(store)(ANALYST, asking("extensions.installs"))
    assert [(p.bucket, p.value) for p in installs.points] == [(AT.replace(hour=0), 3)]


async def test_a_developer_reads_their_own_extensions_only() -> None:
    store = InMemoryAnalyticsStore()
    await downloads(store, MINE, 3)
    await downloads(store, THEIRS, 2)
    mine = await evaluator(store)(DEVELOPER, asking("extensions.downloads"))
    assert [p.value for p in mine.points] == [3]
    named = await evaluator(store)(
        DEVELOPER, asking("extensions.downloads", filters=(Filter(EXTENSION_DIMENSION, (str(MINE),)),))
    )
    assert [p.value for p in named.points] == [3]


async def test_another_developers_extension_is_not_found() -> None:
    theirs = (Filter(EXTENSION_DIMENSION, (str(MINE), str(THEIRS))),)
    with pytest.raises(MetricNotFound):
        await evaluator(InMemoryAnalyticsStore())(DEVELOPER, asking("extensions.downloads", filters=theirs))


@pytest.mark.parametrize(("actor", "key"), [(DEVELOPER, "users.daily_active"), (CUSTOMER, "extensions.downloads")])
async def test_what_a_caller_may_not_read_does_not_exist(actor: Actor, key: str) -> None:
    with pytest.raises(MetricNotFound):
        await evaluator(InMemoryAnalyticsStore())(actor, asking(key))


async def test_a_developer_without_extensions_reads_nothing() -> None:
    nobody = Actor.holding(uuid4(), AnalyticsPermission.OWN)
    store = InMemoryAnalyticsStore()
    await downloads(store, THEIRS, 2)
    assert (await evaluator(store)(nobody, asking("extensions.downloads"))).points == []


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (MetricRequest("users.daily_active", AT - timedelta(days=1001), AT), "range"),
        (MetricRequest("users.daily_active", AT, AT - timedelta(days=1)), "range"),
        (MetricRequest("users.daily_active", AT - timedelta(days=1), AT, Interval.HOUR), "interval"),
        (MetricRequest("users.new", AT - timedelta(days=1), AT, filters=(Filter("os", ("linux",)),)), "filter"),
        (MetricRequest("users.new", AT - timedelta(days=1), AT, breakdown="properties.email"), "breakdown"),
    ],
)
async def test_requests_past_the_limits_are_refused_naming_the_field(request_: MetricRequest, field: str) -> None:
    with pytest.raises(MetricRequestRefused) as refused:
        await evaluator(InMemoryAnalyticsStore())(ANALYST, request_)
    assert refused.value.field == field


async def test_only_the_largest_series_are_answered() -> None:
    store = InMemoryAnalyticsStore()
    for count in (1, 2, 3, 4):
        await downloads(store, uuid4(), count)
    limits = MetricLimits(max_series=2)
    series = await evaluator(store, limits)(ANALYST, asking("extensions.downloads", breakdown=EXTENSION_DIMENSION))
    assert (sorted(p.value for p in series.points), series.omitted_series) == ([3, 4], 2)


async def test_a_query_past_its_budget_is_refused_not_waited_for() -> None:
    slow = Metric(TICKETS, Slow())
    evaluate = EvaluateMetric(
        MetricCatalogue([slow]),
        InMemoryAnalyticsStore(),
        OwnersOfOne(),
        MetricLimits(budget_seconds=0.01),
        uncached(),
    )
    with pytest.raises(QueryOverBudget) as refused:
        await evaluate(ANALYST, asking("support.tickets_opened"))
    assert refused.value.field == "range"


async def test_the_pass_rate_and_the_rating_trend_are_ratios_of_facts() -> None:
    store = InMemoryAnalyticsStore()
    consumer = WhenFactPublishedRecordIt(store, InMemoryLiveCounters())
    publisher = uuid4()
    for state in ("approved", "approved", "rejected", "changes_requested", "errored"):
        verdict = VersionReviewedV1(
            version_id=uuid4(), extension_id=MINE, publisher_id=publisher, version="1.0.0", state=state, reasons=()
        )
        await consumer.handle(verdict.envelope(AT))
    for stars in (5, 4, 2):
        await consumer.handle(
            RatingWrittenV1(rating_id=uuid4(), extension_id=MINE, user_id=uuid4(), stars=stars, edited=False).envelope(
                AT
            )
        )
    passed = await evaluator(store)(ANALYST, asking("developers.review_pass_rate"))
    trend = await evaluator(store)(ANALYST, asking("extensions.rating_trend"))
    assert ([p.value for p in passed.points], [p.value for p in trend.points]) == ([0.5], [pytest.approx(11 / 3)])
    evaluate = EvaluateMetric(CONTEXTS.metric_catalogue(), store, OwnersOfOne(publisher), MetricLimits(), uncached())
    assert [p.value for p in (await evaluate(DEVELOPER, asking("developers.review_pass_rate"))).points] == [0.5]


async def test_retention_and_activation_follow_the_sign_up_cohorts() -> None:
    store = InMemoryAnalyticsStore()
    consumer = WhenFactPublishedRecordIt(store, InMemoryLiveCounters())
    monday = datetime(2026, 5, 4, tzinfo=UTC)
    users = [uuid4() for _ in range(4)]
    for user in users:
        await consumer.handle(UserRegisteredV1(user_id=user, email="x@example.com", role="customer").envelope(monday))
    for user in users[:2]:  # two activate that week; one of them is back the week after
        fact = LicenseActivatedV1(license_id=uuid4(), user_id=user, machine_id=uuid4(), fingerprint="f")
        await consumer.handle(fact.envelope(monday + timedelta(days=2)))
    came_back = monday + timedelta(days=8)
    await store.insert([AnalyticsEvent(uuid4(), "app_started", "install-1", came_back, came_back, user_id=users[0])])
    weeks = MetricRequest("users.retention", monday, monday + timedelta(days=7), Interval.WEEK)
    retention = await evaluator(store)(ANALYST, weeks)
    assert [(p.breakdown, p.value) for p in retention.points] == [("size", 4), ("0", 2), ("1", 1)]
    activation = await evaluator(store)(ANALYST, replace(weeks, key="users.activation"))
    assert [p.value for p in activation.points] == [0.5]
