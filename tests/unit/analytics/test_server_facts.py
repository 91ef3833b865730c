"""Facts from the other contexts are stored once, however often they are delivered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from devforge.adapters.memory.analytics import InMemoryAnalyticsStore, InMemoryLiveCounters
from devforge.application.analytics.when_fact_published_record_it import WhenFactPublishedRecordIt
from devforge.application.billing.published import OrderLineV1, OrderPaidV1, OrderRefundedV1
from devforge.application.common.integration_events import EventEnvelope, UndeliverableEvent
from devforge.application.common.unavailable import ServiceUnavailable
from devforge.application.identity.published import UserRegisteredV1
from devforge.application.marketplace.published import ExtensionDownloadedV1
from devforge.domain.analytics.event import Source
from devforge.domain.analytics.live import LiveFigures, LiveTally
from devforge.domain.analytics.queries import Filter, SeriesQuery

AT = datetime(2026, 5, 4, 10, tzinfo=UTC)
ALL = SeriesQuery(start=AT - timedelta(days=1), end=AT + timedelta(days=1))


async def test_a_redelivered_purchase_is_one_fact() -> None:
    store = InMemoryAnalyticsStore()
    consumer = WhenFactPublishedRecordIt(store, InMemoryLiveCounters())
    user = uuid4()
    paid = OrderPaidV1(
        order_id=uuid4(),
        user_id=user,
        email="ada@example.com",
        currency="EUR",
        total=4900,
        lines=(OrderLineV1(product_code="editor-pro", policy_id=None, quantity=1),),
    ).envelope(AT)
    await consumer.handle(paid)
    await consumer.handle(paid)
    assert await store.count(ALL) == 1
    [fact] = store.events.values()
    assert (fact.event, fact.distinct_id, fact.source, fact.uuid, fact.timestamp) == (
        "order_paid",
        str(user),
        Source.SERVER,
        paid.event_id,
        AT,
    )
    assert await store.count(SeriesQuery(ALL.start, ALL.end, filters=(Filter("properties.total", ("4900",)),))) == 1
    assert "ada@example.com" not in fact.properties


async def test_sign_ups_and_downloads_are_facts_without_emails() -> None:
    store = InMemoryAnalyticsStore()
    consumer = WhenFactPublishedRecordIt(store, InMemoryLiveCounters())
    await consumer.handle(UserRegisteredV1(user_id=uuid4(), email="bo@example.com", role="customer").envelope(AT))
    extension = uuid4()
    download = ExtensionDownloadedV1(
        extension_id=extension, version_id=uuid4(), version="1.0.0", kind="install", day="2026-05-04"
    )
    await consumer.handle(download.envelope(AT))
    names = sorted((event.event, event.distinct_id) for event in store.events.values())
    assert names == [("extension_downloaded", f"extension:{extension}"), ("signed_up", names[1][1])]
    assert all("@" not in event.properties for event in store.events.values())


async def test_a_version_it_does_not_read_is_a_dead_letter() -> None:
    consumer = WhenFactPublishedRecordIt(InMemoryAnalyticsStore(), InMemoryLiveCounters())
    unknown = EventEnvelope(uuid4(), OrderPaidV1.NAME, AT, {}, version=9)
    with pytest.raises(UndeliverableEvent):
        await consumer.handle(unknown)


async def test_downloads_and_money_are_counted_live_as_they_are_recorded() -> None:
    live = InMemoryLiveCounters()
    consumer = WhenFactPublishedRecordIt(InMemoryAnalyticsStore(), live)
    user = uuid4()
    download = ExtensionDownloadedV1(extension_id=uuid4(), version_id=uuid4(), version="1.0.0", kind="install", day="")
    await consumer.handle(download.envelope(AT))
    line = OrderLineV1(product_code="editor-pro", policy_id=None, quantity=1)
    for total, currency in ((4900, "EUR"), (1500, "USD"), (2000, "EUR")):
        paid = OrderPaidV1(order_id=uuid4(), user_id=user, email="", currency=currency, total=total, lines=(line,))
        await consumer.handle(paid.envelope(AT))
    refund = OrderRefundedV1(order_id=uuid4(), user_id=user, amount=900, currency="EUR", full=False, licensed=True)
    await consumer.handle(refund.envelope(AT))
    await consumer.handle(UserRegisteredV1(user_id=user, email="x@example.com", role="customer").envelope(AT))
    figures = await live.read(AT + timedelta(minutes=1))
    assert (figures.downloads_today, figures.revenue_today) == (1, {"EUR": 6000, "USD": 1500})
    tomorrow = await live.read(AT + timedelta(days=1))
    assert (tomorrow.downloads_today, tomorrow.revenue_today) == (0, {})


class LiveCountersAway:
    async def add(self, tally: LiveTally) -> None:
        raise ServiceUnavailable("Redis")

    async def read(self, now: datetime) -> LiveFigures:
        raise ServiceUnavailable("Redis")


async def test_a_fact_is_stored_while_the_live_counters_are_away() -> None:
    store = InMemoryAnalyticsStore()
    consumer = WhenFactPublishedRecordIt(store, LiveCountersAway())
    download = ExtensionDownloadedV1(extension_id=uuid4(), version_id=uuid4(), version="1.0.0", kind="install", day="")
    await consumer.handle(download.envelope(AT))
    assert store.rows == 1
