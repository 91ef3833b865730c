"""A devforge instance for the fuzz, on free ports, stopped on exit.

embedded: ``devforge serve`` on SQLite in the given scratch folder.
production: ``devforge serve`` with ``DEVFORGE_PROFILE=production`` on a PostgreSQL database made
for the run (``devforge_fuzz_<random>``, dropped afterwards), a Redis db of its own (flushed before
and after) and the local fake of Stripe from ``tests/fakes``; no network beyond this machine.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import secrets
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from harness import progress, wait_ready

ROOT = Path(__file__).resolve().parent.parent
DEVFORGE = Path(sys.executable).parent / "devforge"
HIGH_LIMIT = "1000000000"  # requests per minute: the fuzz tests the service, not its throttle


@dataclass(frozen=True)
class Instance:
    profile: str
    url: str
    env: dict[str, str]
    log: Path

    def count_logged_server_errors(self) -> int:
        """Answers the service logged as unexpected (its 500s), whoever saw them."""
        count = 0
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                with contextlib.suppress(ValueError):
                    count += json.loads(line).get("event") == "unhandled_error"
        return count


@contextlib.contextmanager
def running_instance(profile: str, scratch: Path, database_url: str, redis_url: str) -> Iterator[Instance]:
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")} | {
        "DEVFORGE_PROFILE": profile,
        "DEVFORGE_HOST": "127.0.0.1",
        "DEVFORGE_PORT": str(port),
        "DEVFORGE_DATA_DIR": str(scratch / "data"),
        "DEVFORGE_LOG_LEVEL": "warning",
        "DEVFORGE_LOG_FORMAT": "json",
        "DEVFORGE_RATE_LIMIT_API_PER_MINUTE": HIGH_LIMIT,
        "DEVFORGE_RATE_LIMIT_AUTH_PER_MINUTE": HIGH_LIMIT,
        "DEVFORGE_RATE_LIMIT_LICENSE_PER_MINUTE": HIGH_LIMIT,
        "DEVFORGE_ACCESS_TOKEN_MINUTES": "1440",  # one sign-in lasts the whole run
        "DEVFORGE_ARGON2_MEMORY_KIB": "1024",
        "DEVFORGE_ARGON2_TIME_COST": "1",
    }
    with contextlib.ExitStack() as stack:
        if profile == "production":
            env |= stack.enter_context(_production_backends(database_url, redis_url))
            _run([str(DEVFORGE), "migrate"], env)
        log = scratch / "serve.log"
        stack.enter_context(_serving([str(DEVFORGE), "serve"], env, log))
        wait_ready(f"http://127.0.0.1:{port}/health/ready", f"devforge ({profile})", seconds=120)
        yield Instance(profile, f"http://127.0.0.1:{port}", env, log)


@contextlib.contextmanager
def _production_backends(database_url: str, redis_url: str) -> Iterator[dict[str, str]]:
    sys.path.insert(0, str(ROOT))
    from tests.fakes.stripe_server import running_stripe

    name = f"devforge_fuzz_{uuid.uuid4().hex[:12]}"
    admin = urlsplit(database_url.replace("+asyncpg", ""))
    progress(f"creating database {name}, flushing {redis_url}")
    asyncio.run(_database(admin.geturl(), f'CREATE DATABASE "{name}"'))
    asyncio.run(_flush(redis_url))
    try:
        with running_stripe() as stripe:
            yield {
                "DEVFORGE_DATABASE_URL": database_url.rsplit("/", 1)[0] + f"/{name}",
                "DEVFORGE_REDIS_URL": redis_url,
                "DEVFORGE_SECRET_KEY": secrets.token_urlsafe(48),
                "DEVFORGE_STRIPE_API_KEY": stripe.api_key,
                "DEVFORGE_STRIPE_API_BASE": stripe.base_url,
                "DEVFORGE_WEBHOOK_SECRETS": "whsec_fuzz_" + secrets.token_hex(16),
                "DEVFORGE_MALWARE_SCANNER": "builtin",  # no clamd here
                "DEVFORGE_DNS_RESOLVER": "static",  # no nameserver to ask
            }
    finally:
        asyncio.run(_database(admin.geturl(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(_flush(redis_url))


async def _database(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _flush(redis_url: str) -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(redis_url)
    try:
        await redis.flushdb()  # this run's own db only, never FLUSHALL
    finally:
        await redis.aclose()


@contextlib.contextmanager
def _serving(command: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, timeout=300, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
