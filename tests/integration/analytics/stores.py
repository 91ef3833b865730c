"""The analytics store's adapters, each as the contract suite runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from devforge.adapters.analytics.chdb_store import ChdbAnalyticsStore, ChdbEngine
from devforge.adapters.analytics.clickhouse_store import ClickHouseAddress, ClickHouseAnalyticsStore
from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.application.analytics.ports import AnalyticsStore
from tests.fakes.clickhouse_http import fake_clickhouse

KINDS = ["memory", "chdb", "clickhouse"]


@asynccontextmanager
async def analytics_store(kind: str, path: Path) -> AsyncIterator[AnalyticsStore]:
    """``clickhouse``: the production adapter over HTTP to a fake server answered by chDB."""
    if kind == "memory":
        yield InMemoryAnalyticsStore()
        return
    engine = ChdbEngine(path / "chdb")
    try:
        if kind == "chdb":
            store = ChdbAnalyticsStore(engine, "contract")
            await store.create_schema()
            yield store
            return
        with fake_clickhouse(engine) as server:
            address = ClickHouseAddress(server.url, server.user, server.password, "contract")
            remote = ClickHouseAnalyticsStore(address)
            await remote.create_schema()
            yield remote
            remote.close()
    finally:
        engine.close()
