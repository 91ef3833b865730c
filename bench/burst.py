"""How long a burst of concurrent requests from one address takes, and what it costs Redis.

Starts two production API processes (`devforge serve`, a fresh PostgreSQL database, a Redis of
their own so its command counts are the burst's alone), then for each limited route group sends
``--burst`` requests at once, alternating between the processes, each on its own connection
(a plain asyncio HTTP/1.1 client: the client's own cost stays small beside the servers'). Prints
per group the wall time from the first send to the last answer, the answers by status, and the
Redis script calls (one per lease) it caused; then how long /health/live takes on each process.

    .venv/bin/python bench/burst.py [--burst 500]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redis.asyncio import Redis
from tests.fakes.servers import private_redis
from tests.integration.api_processes import api_process
from tests.integration.backends import postgres_database
from tests.integration.test_activation_race_two_servers import sql_container
from tests.unit.licensing.use_case_steps import world


async def request(url: str, method: str, path: str, body: bytes, headers: dict[str, str]) -> int:
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"Content-Length: {len(body)}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    await reader.read()
    writer.close()
    return status


async def script_calls(redis_url: str) -> int:
    client = Redis.from_url(redis_url)
    try:
        stats = await client.info("commandstats")
    finally:
        await client.aclose()
    return sum(int(stats.get(f"cmdstat_{name}", {}).get("calls", 0)) for name in ("evalsha", "eval"))


async def main(burst: int) -> None:
    async with postgres_database() as database:
        seeding = sql_container(database)
        try:
            key = (await world(seeding)).key
        finally:
            await seeding.close()
        json_type = {"Content-Type": "application/json"}
        groups = {
            "auth    POST /api/auth/register (refused input)": (
                "POST", "/api/auth/register", b'{"email": "x", "password": "x"}', json_type),
            "api     GET /api/auth/me (no token)": ("GET", "/api/auth/me", b"", {}),
            "api     POST /api/payments/webhook (bad signature)": (
                "POST", "/api/payments/webhook", b"{}", {"Stripe-Signature": "t=1"}),
            "license POST /api/licenses/validate": (
                "POST", "/api/licenses/validate", json.dumps({"key": key}).encode(), json_type),
        }  # fmt: skip
        with tempfile.TemporaryDirectory() as folder, private_redis() as redis, ExitStack() as stack:
            urls = [
                stack.enter_context(api_process(database, redis.url, Path(folder), name)).url
                for name in ("api-1", "api-2")
            ]
            for group, (method, path, body, headers) in groups.items():
                before = await script_calls(redis.url)
                started = time.perf_counter()
                statuses = await asyncio.gather(
                    *(request(urls[n % 2], method, path, body, headers) for n in range(burst))
                )
                took = time.perf_counter() - started
                calls = await script_calls(redis.url) - before
                print(f"{group:52} {burst} in {took:5.2f} s  {dict(Counter(statuses))}  Redis script calls: {calls}")
            for url in urls:
                started = time.perf_counter()
                status = await request(url, "GET", "/health/live", b"", {})
                print(f"{url}/health/live afterwards: {status} in {(time.perf_counter() - started) * 1000:.1f} ms")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=500)
    asyncio.run(main(parser.parse_args().burst))
