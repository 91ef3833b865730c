"""The analytics store's adapters, each as the contract suite runs it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from uuid import uuid4

from devforge.adapters.analytics.chdb_process import ChdbProcessEngine
from devforge.adapters.analytics.chdb_store import ChdbAnalyticsStore, ChdbEngine, ChdbStatements
from devforge.adapters.analytics.clickhouse_store import ClickHouseAddress, ClickHouseAnalyticsStore
from devforge.adapters.memory.analytics import InMemoryAnalyticsStore
from devforge.application.analytics.ports import AnalyticsStore
from tests.fakes.clickhouse_http import fake_clickhouse

KINDS = ["memory", "chdb", "chdb_process", "clickhouse"]


@asynccontextmanager
async def analytics_store(
    kind: str, path: Path, child: ChdbProcessEngine | None = None
) -> AsyncIterator[AnalyticsStore]:
    """``chdb_process``: chDB in a child process (the embedded profile's engine); ``clickhouse``:
    the production adapter over HTTP to a fake server answered by chDB."""
    if kind == "memory":
        yield InMemoryAnalyticsStore()
        return
    if kind == "chdb_process" and child is not None:  # one child for the suite: a database of its own each
        store = ChdbAnalyticsStore(child, f"contract_{uuid4().hex[:12]}")
        await store.create_schema()
        yield store
        return
    engine: ChdbStatements = ChdbProcessEngine(path / "chdb") if kind == "chdb_process" else ChdbEngine(path / "chdb")
    try:
        if kind in ("chdb", "chdb_process"):
            store = ChdbAnalyticsStore(engine, "contract")
            await store.create_schema()
            yield store
            return
        with fake_clickhouse(engine) as server:
            address = ClickHouseAddress(server.url, server.user, server.password, "contract")
            remote = ClickHouseAnalyticsStore(address)
            await remote.create_schema()
            yield remote
            await remote.aclose()
    finally:
        engine.close()
