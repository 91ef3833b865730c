"""The outage drills' own servers: a private Redis and PostgreSQL that stop and come back."""

from __future__ import annotations

import pytest
from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from tests.fakes.servers import private_postgres, private_redis


async def test_a_private_redis_refuses_when_stopped_hangs_when_paused_and_comes_back() -> None:
    with private_redis() as server:
        client = Redis.from_url(server.url, socket_timeout=0.5, socket_connect_timeout=0.5)
        assert await client.ping()
        server.pause()
        with pytest.raises(RedisTimeoutError):
            await client.ping()
        server.resume()
        await client.connection_pool.disconnect()
        assert await client.ping()
        server.stop()
        with pytest.raises(RedisConnectionError):
            await client.ping()
        server.start()
        assert await client.ping()
        await client.aclose()


async def test_a_private_postgres_keeps_its_data_across_a_crash() -> None:
    with private_postgres() as server:
        engine = create_async_engine(server.url)
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE kept (n int)"))
            await connection.execute(text("INSERT INTO kept VALUES (7)"))
        server.stop()
        await engine.dispose()
        with pytest.raises(OSError, match=r"Connect call failed|refused"):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        server.start()
        async with engine.connect() as connection:
            assert (await connection.execute(text("SELECT n FROM kept"))).scalar_one() == 7
        await engine.dispose()
