"""A 90-day daily series over 10,000,000 events in the embedded store (chDB), through the metric
catalogue's entry point (``EvaluateMetric``, as ``GET /api/analytics/metrics`` calls it).

The events are generated inside the engine (``INSERT ... SELECT ... FROM numbers(N)``), not
through Python: 90 days of editor activity from ``--installs`` installs (20,000: each sends about
5 events a day; a third of them are known users),
extension downloads of 1,000 extensions (10 %) and license activations (5 %), timestamps spread
at random over the days; an install keeps its editor version and OS. The tables are then merged
(``OPTIMIZE ... FINAL``: where the engine's background merges leave data older than its newest
hours; one insert of ten million rows leaves a dozen parts, and reading ``FINAL`` across them
is several times slower). Then each metric's 90-day daily series is read ``--runs`` times (after
one warm-up read, not counted) as an analyst, and p50 / p99 / max are printed per metric.
``users.daily_active`` reads the daily activity rollup (``clickhouse_sql.daily_activity_schema``),
the downloads the events table.

    .venv/bin/python bench/analytics_query.py [--events 10000000] [--runs 20] [--keep DIR] [--engine child|in-process]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID, uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devforge.adapters.analytics.chdb_process import ChdbProcessEngine
from devforge.adapters.analytics.chdb_store import ChdbAnalyticsStore, ChdbEngine, ChdbStatements
from devforge.application.analytics.evaluate_metric import EvaluateMetric, MetricLimits, MetricRequest
from devforge.application.analytics.figure_cache import FigureCache
from devforge.application.common.actor import Actor
from devforge.bootstrap.contexts import CONTEXTS
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.analytics.queries import Interval

DAYS = 90
END = datetime(2026, 12, 1, tzinfo=UTC)
START = END - timedelta(days=DAYS)
METRICS = ("users.daily_active", "extensions.downloads", "extensions.installs")


def seed_sql(database: str, events: int, installs: int) -> str:
    """One statement: the engine makes every row (about 10 s for ten million on two cores)."""
    span_ms = DAYS * 86_400_000
    install = f"cityHash64(number, 2) % {int(installs)}"
    client_event = "['app_started', 'file_opened', 'command_run', 'extension_used'][number % 4 + 1]"
    properties = (
        'if(number % 20 < 2, concat(\'{"extension_id":"ext-\', toString(cityHash64(number, 1) % 1000), '
        "'\",\"version\":\"1.', toString(number % 7), '.0\",\"kind\":\"', if(number % 3 = 0, 'update', 'install'), "
        "'\"}'), '{}')"
    )
    user = f"toUUID(concat('00000000-0000-4000-8000-', leftPad(toString({install}), 12, '0')))"
    return f"""
        INSERT INTO {database}.events
        SELECT
            generateUUIDv4(number) AS uuid,
            multiIf(number % 20 < 2, 'extension_downloaded', number % 20 = 2, 'license_activated', {client_event}),
            multiIf(number % 20 < 2, concat('extension:ext-', toString(cityHash64(number, 1) % 1000)),
                    concat('install-', toString({install}))),
            toDateTime64({START.timestamp():.0f}, 3, 'UTC') + toIntervalMillisecond(cityHash64(number, 3) % {span_ms}),
            now64(3, 'UTC'),
            {properties},
            if(number % 20 < 3, 'server', 'client'),
            ['2.4.1', '2.5.0', '2.6.0'][{install} % 3 + 1],
            ['linux', 'darwin', 'win32'][intDiv({install}, 3) % 3 + 1],
            'en-US', '', '',
            if(number % 20 = 2 OR {install} % 3 = 0, {user}, NULL)
        FROM numbers({int(events)})
    """  # noqa: S608


class NoOwners:
    async def extensions_of(self, user_id: UUID) -> frozenset[UUID]:
        return frozenset()

    async def publishers_of(self, user_id: UUID) -> frozenset[UUID]:
        return frozenset()


async def main(events: int, runs: int, keep: str | None, installs: int, engine_kind: str) -> None:
    directory = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="analytics-query-"))
    engine: ChdbStatements = (ChdbProcessEngine if engine_kind == "child" else ChdbEngine)(directory / "analytics")
    store = ChdbAnalyticsStore(engine, "analytics", retention_days=3650)
    await store.create_schema()
    stored = await store.stored_rows()
    if stored < events:
        began = time.perf_counter()
        await asyncio.to_thread(engine.run, seed_sql("analytics", events - stored, installs))
        print(f"seeded {events - stored:,} events in {time.perf_counter() - began:.1f} s")
    print(f"{await store.stored_rows():,} events stored")
    began = time.perf_counter()  # as the engine's background merges leave a table past its newest hours
    for table in ("events", "daily_activity"):
        await asyncio.to_thread(engine.run, f"OPTIMIZE TABLE analytics.{table} FINAL")
    print(f"merged in {time.perf_counter() - began:.1f} s")
    uncached = FigureCache(0, 1, lambda: END)  # TTL 0: every read is the store's
    evaluate = EvaluateMetric(CONTEXTS.metric_catalogue(), store, NoOwners(), MetricLimits(), uncached)
    analyst = Actor.holding(uuid4(), AnalyticsPermission.READ, AnalyticsPermission.OWN)
    for key in METRICS:
        request = MetricRequest(key, START, END, Interval.DAY)
        series = await evaluate(analyst, request)  # warm-up, not counted
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            await evaluate(analyst, request)
            times.append((time.perf_counter() - began) * 1000)
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"{key:<24} {len(series.points)} days, total {sum(p.value for p in series.points):,.0f}: "
            f"p50 {statistics.median(times):.0f} ms  p99 {p99:.0f} ms  max {times[-1]:.0f} ms  ({runs} runs)"
        )
    engine.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--installs", type=int, default=20_000, help="editor installs sending the events")
    parser.add_argument("--keep", help="a directory to keep the store in (seeded once, reused)")
    parser.add_argument(
        "--engine",
        choices=("child", "in-process"),
        default="child",
        help="chDB in a child process (the embedded profile's default) or in this process",
    )
    arguments = parser.parse_args()
    asyncio.run(main(arguments.events, arguments.runs, arguments.keep, arguments.installs, arguments.engine))
