"""Readiness probes answer when their server does, and raise when it does not."""

from __future__ import annotations

from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.adapters.persistence.engine import make_engine
from devforge.adapters.persistence.health import SqlaHealthProbe
from devforge.adapters.redis.health import RedisHealthProbe
from tests.services import POSTGRES_URL, REDIS_URL, require_postgres, require_redis


async def test_database_probe_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'probe.db'}")
    await SqlaHealthProbe(engine).check()
    await engine.dispose()


async def test_database_probe_on_postgres_and_on_a_dead_server() -> None:
    require_postgres()
    engine = make_engine(POSTGRES_URL)
    await SqlaHealthProbe(engine).check()
    await engine.dispose()
    dead = create_async_engine("postgresql+asyncpg://postgres@127.0.0.1:1/postgres")
    with pytest.raises(OSError, match=r"(?i)connect"):
        await SqlaHealthProbe(dead).check()
    await dead.dispose()


async def test_redis_probe_on_a_live_and_a_dead_server() -> None:
    require_redis()
    live = Redis.from_url(REDIS_URL)
    await RedisHealthProbe(live).check()
    await live.aclose()
    dead = Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=1)
    with pytest.raises(Exception, match=r"(?i)connect"):
        await RedisHealthProbe(dead).check()
    await dead.aclose()
