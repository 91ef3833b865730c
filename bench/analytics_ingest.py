"""Batched ingestion through the API (``POST /api/analytics/events``) beside a raw insert of the
same events straight into the same store, in the same run, per profile.

For each profile: a fresh data directory (production: a fresh PostgreSQL database and Redis db),
an ingestion key made through devforge's own use case, then one ``devforge serve`` (one uvicorn
worker, as ``make run``) taking ``--events`` events in batches of ``--batch`` over
``--connections`` keep-alive connections (a small asyncio HTTP/1.1 client on pre-encoded bodies:
its own cost stays small beside the server's, but it shares the two cores). Every answer must be
200 with every event accepted, or the run stops. The server is stopped with SIGTERM (it flushes
its buffer on the way out), the stored rows are counted, and then the same events (decoded from
the same bodies, not timed) are inserted straight into the same chDB store through
``AnalyticsStore.insert`` the way the API's flush inserts them: in chunks of what the API took in
one flush interval (its measured events/s times ``DEVFORGE_ANALYTICS_FLUSH_SECONDS``, 1 s here),
so both sides pay the store's cost per insert alike (a raw side of larger chunks would flatter it),
on the server's engine (chDB in a child process, ``DEVFORGE_ANALYTICS_CHDB_PROCESS``'s default).

**Live lag** (the issue's "measured lag from ingestion to the stream"): an analyst's
``GET /api/analytics/live`` stream is open on the same server throughout. Each batch's POST is a
marker: when its answer arrives, the client notes how many events it had sent so far (answered
or in flight); the batch's lag is the time from its answer to the first ``counts`` message whose
``eventsToday`` reaches that number (which proves the batch is in it: every event sent was then
counted: an upper bound, which includes waiting for the batches still in flight on the other
connections). Beside it, the estimate: to the first ``eventsToday`` covering the events sent up
to and including the batch itself (exact when the server counts batches in the order they were
sent). 0 when the stream showed it before the answer arrived. With the stream open, the
server's stop (SIGTERM: drain, flush) is timed too: a drain that waited on the stream would show.

Production here is the production profile with ``DEVFORGE_ANALYTICS_STORE=chdb`` (no ClickHouse
server runs on these machines): PostgreSQL for the key, Redis for the dedup window and the limits,
chDB for the events. The ClickHouse adapter's HTTP client path is not in these figures.

    .venv/bin/python bench/analytics_ingest.py [--profile embedded|production|both] [--events 300000]
        [--database-url postgresql+asyncpg://.../devforge_analytics_bench] [--redis-url redis://127.0.0.1:6379/12]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import progress, reset_production, wait_ready
from tests.access_world import session_actor
from tests.fakes.ports import free_port

from devforge.adapters.analytics.chdb_process import ChdbProcessEngine
from devforge.adapters.analytics.chdb_store import ChdbAnalyticsStore
from devforge.application.analytics.create_ingestion_key import CreateIngestionKey
from devforge.application.common.actor import Actor
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.settings import load_settings
from devforge.domain.analytics.event import AnalyticsEvent
from devforge.domain.analytics.permissions import AnalyticsPermission
from devforge.domain.identity.roles import Role
from devforge.entrypoints.http.analytics.event_decoding import events_of

DEVFORGE = Path(sys.executable).parent / "devforge"
DATABASE_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/devforge_analytics_bench"
REDIS_URL = "redis://127.0.0.1:6379/12"
LIVE_STREAM_SECONDS = 3600
FLUSH_EVENTS = 50_000
FLUSH_SECONDS = 1.0


class Counts(msgspec.Struct):
    accepted: int
    duplicate: int
    rejected: int


class Live(msgspec.Struct):
    events_today: int = msgspec.field(name="eventsToday")


def environment(profile: str, folder: Path, database_url: str, redis_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")} | {
        "DEVFORGE_PROFILE": profile,
        "DEVFORGE_DATA_DIR": str(folder),
        "DEVFORGE_SECRET_KEY": "b" * 48,
        "DEVFORGE_LOG_LEVEL": "warning",
        "DEVFORGE_RATE_LIMIT_ANALYTICS_PER_MINUTE": "1000000000",
        "DEVFORGE_RATE_LIMIT_API_PER_MINUTE": "1000000000",
        "DEVFORGE_ANALYTICS_FLUSH_EVENTS": str(FLUSH_EVENTS),
        "DEVFORGE_ANALYTICS_FLUSH_SECONDS": str(FLUSH_SECONDS),
        "DEVFORGE_PAYMENT_PROVIDER": "sandbox",
    }
    if profile == "production":
        env |= {"DEVFORGE_DATABASE_URL": database_url, "DEVFORGE_REDIS_URL": redis_url}
        env |= {"DEVFORGE_ANALYTICS_STORE": "chdb"}
    return env


def make_key(env: dict[str, str]) -> tuple[str, str]:
    """An ingestion key, and an analyst's access token (two-factor on) to watch the live stream."""
    settings = load_settings(env)
    migrate(settings, "head")

    async def create() -> tuple[str, str]:
        container = make_container(settings)
        try:
            async with container() as scope:
                handler = await scope.get(CreateIngestionKey)
                created = await handler(Actor.holding(uuid.uuid4(), AnalyticsPermission.KEYS_MANAGE), "bench")
            analyst = await session_actor(container, "analyst", Role.ANALYST, two_factor=True)
            return created.secret, analyst.token
        finally:
            await container.close()

    return asyncio.run(create())


def bodies(events: int, batch: int) -> list[bytes]:
    """Batches as an editor sends them: one install per batch, a handful of event names."""
    now = datetime.now(UTC).isoformat()
    names = ["app_started", "file_opened", "command_run", "extension_activated", "file_saved"]
    out = []
    for start in range(0, events, batch):
        install = f"install-{start // batch}"
        out.append(
            msgspec.json.encode(
                {
                    "sent_at": now,
                    "batch": [
                        {
                            "event": names[n % len(names)],
                            "distinct_id": install,
                            "uuid": str(uuid.uuid4()),
                            "timestamp": now,
                            "properties": {"n": n, "language": "rust"},
                            "context": {"editor_version": "2.4.1", "os": "linux", "locale": "en-US"},
                        }
                        for n in range(start, min(start + batch, events))
                    ],
                }
            )
        )
    return out


async def post_all(
    port: int, secret: str, payloads: list[bytes], connections: int, marks: list[tuple[float, int, int]] | None = None
) -> tuple[float, list[float], int]:
    """Wall seconds, each request's latency, events accepted. Every answer must be 200. ``marks``
    gets, per answer, its time, the events sent so far (answered or in flight) and those sent up to
    and including this batch."""
    queue: asyncio.Queue[tuple[bytes, int]] = asyncio.Queue()
    for payload in payloads:
        queue.put_nowait((payload, payload.count(b'"distinct_id"')))
    latencies: list[float] = []
    accepted = 0
    decoder = msgspec.json.Decoder(Counts)

    async def connection() -> None:
        nonlocal accepted
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        head = f"POST /api/analytics/events HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer {secret}\r\n"
        while not queue.empty():
            payload, count = queue.get_nowait()
            SENT[0] += count
            through = SENT[0]
            started = time.perf_counter()
            while True:
                writer.write(f"{head}Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n".encode())
                writer.write(payload)
                await writer.drain()
                status = int((await reader.readline()).split()[1])
                length, retry_after = 0, 1.0
                while (line := await reader.readline()) not in (b"\r\n", b""):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                    elif line.lower().startswith(b"retry-after:"):
                        retry_after = float(line.split(b":")[1])
                body = await reader.readexactly(length)
                if status != 503:
                    break
                # The store is behind (its buffer is full): an editor waits as told and sends the
                # batch again. The wait counts in the batch's latency and in the run's time.
                REFUSED[0] += 1
                await asyncio.sleep(retry_after)
            answered = time.perf_counter()
            latencies.append(answered - started)
            if marks is not None:
                marks.append((answered, SENT[0], through))
            if status != 200:
                sys.exit(f"answer {status}: {body[:300]!r}")
            counts = decoder.decode(body)
            if counts.duplicate or counts.rejected:
                sys.exit(f"expected every event accepted: {counts}")
            accepted += counts.accepted
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(connections)))
    return time.perf_counter() - started, latencies, accepted


SENT = [0]
REFUSED = [0]
"""Batches answered 503 (the store behind, the buffer full) and sent again after Retry-After."""
"""Events whose POST was written, over the whole run (warm-up included): what ``eventsToday`` reaches."""


async def watch_live(port: int, token: str, seen: list[tuple[float, int]], opened: asyncio.Event) -> None:
    """Reads the live stream until the server ends it: each ``counts`` message's arrival time and
    ``eventsToday``."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET /api/analytics/live?seconds={LIVE_STREAM_SECONDS} HTTP/1.1\r\nHost: bench\r\n"
        f"Authorization: Bearer {token}\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    status = await reader.readline()
    if b" 200 " not in status:
        sys.exit(f"live stream answered {status!r}: {await reader.read(500)!r}")
    decoder = msgspec.json.Decoder(Live)
    event = b""
    while line := await reader.readline():
        opened.set()
        if line.startswith(b"event: "):
            event = line[7:].strip()
        elif line.startswith(b"data: ") and event == b"counts":
            seen.append((time.perf_counter(), decoder.decode(line[6:]).events_today))
    writer.close()


def lags(marks: list[tuple[float, int, int]], seen: list[tuple[float, int]], which: int) -> list[float]:
    """Per marked answer: seconds until the stream first showed at least the events sent by then
    (``which`` 1: the bound) or sent up to and including the batch (2: the estimate)."""
    out = []
    for mark in marks:
        answered, wanted = mark[0], mark[which]
        shown = next((at for at, today in seen if today >= wanted), None)
        if shown is None:
            sys.exit(f"the live stream never reached {wanted} events (last: {seen[-1:]})")
        out.append(max(0.0, shown - answered))
    return out


async def measured(
    port: int, secret: str, token: str, payloads: list[bytes], connections: int, process: subprocess.Popen[bytes]
) -> tuple[float, list[float], int, list[float], list[float], float]:
    """The timed run with the live stream open, then the server's stop with the stream still open."""
    seen: list[tuple[float, int]] = []
    opened = asyncio.Event()
    watcher = asyncio.create_task(watch_live(port, token, seen, opened))
    await asyncio.wait_for(opened.wait(), 30)
    marks: list[tuple[float, int, int]] = []
    seconds, latencies, accepted = await post_all(port, secret, payloads, connections, marks)
    for _ in range(200):  # at most 10 s for the stream to show the last batch
        if seen and seen[-1][1] >= SENT[0]:
            break
        await asyncio.sleep(0.05)
    started = time.perf_counter()
    await asyncio.to_thread(stop, process)
    stopped = time.perf_counter() - started
    await asyncio.wait_for(watcher, 10)  # the stream ended with the server
    return seconds, latencies, accepted, lags(marks, seen, 1), lags(marks, seen, 2), stopped


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("w") as output:
        return subprocess.Popen([str(DEVFORGE), "serve", "--port", str(port)], env=env, stdout=output, stderr=output)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def raw_insert(data_path: Path, payloads: list[bytes], chunk: int) -> tuple[float, int, int]:
    """The same events into the same store, ``chunk`` at a time (as one flush of the API):
    (seconds for the inserts alone, events, rows before)."""
    now = datetime.now(UTC)
    events = [
        AnalyticsEvent(
            uuid=e.uuid or uuid.uuid4(),
            event=e.event,
            distinct_id=e.distinct_id,
            timestamp=e.timestamp or now,
            received_at=now,
            properties=e.properties,
            editor_version=e.editor_version,
            os=e.os,
            locale=e.locale,
            visitor="0123456789abcdef",
        )
        for payload in payloads
        for e in events_of(payload)[0]
    ]
    engine = ChdbProcessEngine(data_path)  # the server's engine: chDB in a child process
    try:
        store = ChdbAnalyticsStore(engine)
        before = await store.stored_rows()
        started = time.perf_counter()
        for start in range(0, len(events), chunk):
            await store.insert(events[start : start + chunk])
        return time.perf_counter() - started, len(events), before
    finally:
        engine.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def run(profile: str, events: int, batch: int, connections: int, database_url: str, redis_url: str) -> tuple[str, str]:
    SENT[0] = 0
    with tempfile.TemporaryDirectory(prefix=f"analytics-bench-{profile}-") as folder:
        env = environment(profile, Path(folder), database_url, redis_url)
        if profile == "production":
            reset_production(database_url, redis_url)
        secret, token = make_key(env)
        progress(f"{profile}: encoding {events} events in batches of {batch}")
        payloads = bodies(events, batch)
        warmup = bodies(20 * batch, batch)
        port = free_port()
        process = serve(env, port, Path(folder) / "serve.log")
        try:
            wait_ready(f"http://127.0.0.1:{port}/health/live", f"{profile} API", process, seconds=180)
            asyncio.run(post_all(port, secret, warmup, connections))
            REFUSED[0] = 0
            progress(f"{profile}: sending {len(payloads)} batches over {connections} connections, live stream open")
            seconds, latencies, accepted, lag, estimate, stopped = asyncio.run(
                measured(port, secret, token, payloads, connections, process)
            )
        finally:
            if process.poll() is None:
                stop(process)
        data_path = Path(folder) / "analytics"
        chunk = max(batch, round(accepted / seconds * FLUSH_SECONDS))  # what one flush of the API inserted
        progress(f"{profile}: raw insert in chunks of {chunk} events (the API's flush interval's worth)")
        raw_seconds, raw_events, stored = asyncio.run(raw_insert(data_path, payloads, chunk))
        expected = accepted + len(warmup) * batch
        if stored != expected:
            sys.exit(f"{profile}: {stored} rows stored, {expected} accepted")
        api_rate, raw_rate = accepted / seconds, raw_events / raw_seconds
        return (
            f"| {profile} | {accepted:,} | {api_rate:,.0f} | {1000 * percentile(latencies, 0.5):.1f} | "
            f"{1000 * percentile(latencies, 0.99):.1f} | {raw_rate:,.0f} | {api_rate / raw_rate:.2f} | "
            f"{stored:,} | {REFUSED[0]} |",
            f"| {profile} | {len(lag)} | {1000 * percentile(lag, 0.5):.0f} | {1000 * percentile(lag, 0.99):.0f} | "
            f"{1000 * max(lag):.0f} | {1000 * percentile(estimate, 0.5):.0f} | "
            f"{1000 * percentile(estimate, 0.99):.0f} | {stopped:.1f} |",
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=["embedded", "production", "both"], default="both")
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--database-url", default=DATABASE_URL, help="production's database (its name has 'bench')")
    parser.add_argument("--redis-url", default=REDIS_URL, help="production's Redis db (flushed)")
    args = parser.parse_args()
    profiles = ["embedded", "production"] if args.profile == "both" else [args.profile]
    rows = [
        run(profile, args.events, args.batch, args.connections, args.database_url, args.redis_url)
        for profile in profiles
    ]
    print(
        "| profile | events | API events/s | p50 batch ms | p99 batch ms | raw insert events/s | API / raw | "
        "rows stored | batches refused (503, sent again) |\n|---|---|---|---|---|---|---|---|---|"
    )
    print("\n".join(ingest for ingest, _ in rows))
    print(
        "\n| profile | batches marked | live lag bound p50 ms | bound p99 ms | bound max ms | estimate p50 ms | "
        "estimate p99 ms | stop with the stream open s |\n|---|---|---|---|---|---|---|---|"
    )
    print("\n".join(live for _, live in rows))
    print(f"\nload average: {os.getloadavg()[0]:.1f} (1 min), {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
