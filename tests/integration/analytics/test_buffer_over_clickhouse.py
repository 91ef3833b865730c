"""The write buffer over the production adapter: a ClickHouse that fails an insert loses nothing
(the events wait for the next flush), and a full buffer refuses more rather than grow."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from devforge.adapters.analytics.chdb_store import ChdbEngine
from devforge.adapters.analytics.clickhouse_store import ClickHouseAddress, ClickHouseAnalyticsStore
from devforge.application.analytics.event_buffer import EventBuffer
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.queries import SeriesQuery
from tests.fakes.clickhouse_http import fake_clickhouse

AT = datetime(2026, 4, 1, 12, tzinfo=UTC)


def events(count: int) -> list[AnalyticsEvent]:
    return [AnalyticsEvent(uuid4(), "app_started", f"install-{n}", AT, AT) for n in range(count)]


async def test_a_failed_insert_keeps_its_events_for_the_next_flush(tmp_path: Path) -> None:
    engine = ChdbEngine(tmp_path / "chdb")
    try:
        with fake_clickhouse(engine) as server:
            store = ClickHouseAnalyticsStore(ClickHouseAddress(server.url, server.user, server.password, "buffered"))
            await store.create_schema()
            buffer = EventBuffer(limit=30, now=lambda: AT)
            buffer.add(events(6))
            buffer.add_links([("install-1", uuid4())])
            server.failing = True
            with pytest.raises(Exception, match="failing"):
                await buffer.flush_into(store)
            assert len(buffer) == 6
            buffer.add(events(5))
            server.failing = False
            assert await buffer.flush_into(store) == 11
            assert len(buffer) == 0
            everything = SeriesQuery(AT - timedelta(days=1), AT + timedelta(days=1))
            assert await store.count(everything) == 11
            assert await store.user_of("install-1") is not None
            assert await buffer.flush_into(store) == 0
            assert any("INSERT INTO buffered.events" in statement for statement in server.statements)
            await store.aclose()
    finally:
        engine.close()


async def test_wrong_credentials_are_refused_by_the_server(tmp_path: Path) -> None:
    engine = ChdbEngine(tmp_path / "chdb")
    try:
        with fake_clickhouse(engine) as server:
            store = ClickHouseAnalyticsStore(ClickHouseAddress(server.url, server.user, "wrong", "buffered"))
            with pytest.raises(Exception, match=r"(?i)authentication"):
                await store.create_schema()
            await store.aclose()
    finally:
        engine.close()


def test_a_buffer_past_its_hard_limit_has_no_room() -> None:
    buffer = EventBuffer(limit=30, now=lambda: AT)
    buffer.add(events(25))
    assert buffer.has_room_for(5)
    assert not buffer.has_room_for(6)
