"""A statement sent straight to asyncpg (``InTransaction``) is part of the session's transaction,
begun as SQLAlchemy begins it: a rollback takes it back, a commit keeps it, and the statements
the session runs itself see it. Its errors are SQLAlchemy's, its values bound as SQLAlchemy binds
them (JSON, aware datetimes). On SQLite a write runs on the loop's thread on the session's
sqlite3 connection, behind the process's writer gate, and goes to aiosqlite's thread when another
process holds the lock; rows come from the session's own execution."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import bindparam, exc, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from devforge.adapters.persistence.engine import SqliteWriterGate, make_engine, make_sessionmaker
from devforge.adapters.persistence.in_transaction import InTransaction
from devforge.adapters.persistence.tables import metadata, outbox
from tests.integration.backends import postgres_database

_ADD = InTransaction(insert(outbox))  # its columns from the parameters
_BY_ID = InTransaction(select(outbox).where(outbox.c.event_id == bindparam("event_id")))
AT = datetime(2026, 12, 7, 19, 30, tzinfo=UTC)


@pytest.fixture(params=["postgresql", "sqlite"])
async def engine(request: pytest.FixtureRequest, tmp_path: Any) -> AsyncIterator[AsyncEngine]:
    if request.param == "sqlite":
        built = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
        async with built.begin() as connection:
            await connection.run_sync(metadata.create_all)
        yield built
        await built.dispose()
        return
    async with postgres_database() as url:
        built = make_engine(url, pool_size=2)
        try:
            yield built
        finally:
            await built.dispose()


def event(name: str = "licensing.license_activated") -> dict[str, Any]:
    return {"event_id": uuid4(), "name": name, "occurred_at": AT, "payload": {"seats": [1, 2], "$version": 1}}


async def stored(engine: AsyncEngine, event_id: Any) -> list[Any]:
    async with make_sessionmaker(engine)() as session:
        return list((await session.execute(select(outbox.c.name).where(outbox.c.event_id == event_id))).scalars())


async def test_a_rollback_takes_back_what_it_wrote_and_a_commit_keeps_it(engine: AsyncEngine) -> None:
    dropped, kept = event(), event()
    async with make_sessionmaker(engine)() as session:
        assert await _ADD.rowcount(session, dropped) == 1
        await session.rollback()
        assert await _ADD.rowcount(session, kept) == 1
        await session.commit()
    assert await stored(engine, dropped["event_id"]) == []
    assert await stored(engine, kept["event_id"]) == ["licensing.license_activated"]


async def test_the_session_and_the_statement_see_each_others_uncommitted_writes(engine: AsyncEngine) -> None:
    first, second = event("first"), event("second")
    async with make_sessionmaker(engine)() as session:
        await session.execute(insert(outbox).values(first))
        assert [row["name"] for row in await _BY_ID.rows(session, {"event_id": first["event_id"]})] == ["first"]
        await _ADD.rowcount(session, second)
        seen = await session.execute(select(outbox.c.name).where(outbox.c.event_id == second["event_id"]))
        assert list(seen.scalars()) == ["second"]
        await session.rollback()
    assert await stored(engine, first["event_id"]) == []
    assert await stored(engine, second["event_id"]) == []


async def test_values_are_bound_and_read_back_as_sqlalchemy_does(engine: AsyncEngine) -> None:
    added = event()
    async with make_sessionmaker(engine)() as session:
        await _ADD.rowcount(session, added)
        (row,) = await _BY_ID.rows(session, {"event_id": added["event_id"]})
        assert row["payload"] == {"seats": [1, 2], "$version": 1}
        assert row["occurred_at"] == AT
        await session.commit()
    async with make_sessionmaker(engine)() as session:
        found = (await session.execute(select(outbox).where(outbox.c.event_id == added["event_id"]))).mappings().one()
    assert found["payload"] == {"seats": [1, 2], "$version": 1}
    assert found["occurred_at"] == AT


async def test_an_error_is_sqlalchemys_and_leaves_the_session_usable_after_a_rollback(engine: AsyncEngine) -> None:
    twice = event()
    async with make_sessionmaker(engine)() as session:
        await _ADD.rowcount(session, twice)
        with pytest.raises(exc.IntegrityError):
            await _ADD.rowcount(session, twice)
        await session.rollback()
        again = event()
        assert await _ADD.rowcount(session, again) == 1
        await session.commit()
    assert await stored(engine, twice["event_id"]) == []
    assert await stored(engine, again["event_id"]) == ["licensing.license_activated"]


async def test_a_naive_datetime_is_refused_as_the_table_type_refuses_it(engine: AsyncEngine) -> None:
    naive = event() | {"occurred_at": AT.replace(tzinfo=None)}
    session: AsyncSession
    async with make_sessionmaker(engine)() as session:
        with pytest.raises((ValueError, exc.StatementError)):
            await _ADD.rowcount(session, naive)


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)  # on SQLite the session runs the statement
async def test_a_connection_the_server_ended_is_invalidated_and_the_next_session_gets_a_live_one(
    engine: AsyncEngine,
) -> None:
    async with make_sessionmaker(engine)() as session:
        await _ADD.rowcount(session, event())
        pid = (await session.execute(select(func.pg_backend_pid()))).scalar_one()
        async with engine.connect() as other:
            await other.execute(select(func.pg_terminate_backend(pid)))
        with pytest.raises(exc.DBAPIError) as raised:
            await _ADD.rowcount(session, event())
        assert raised.value.connection_invalidated
        await session.rollback()
    kept = event()
    async with make_sessionmaker(engine)() as session:
        assert await _ADD.rowcount(session, kept) == 1
        await session.commit()
    assert await stored(engine, kept["event_id"]) == ["licensing.license_activated"]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_on_sqlite_a_write_takes_the_writer_gate_and_leaves_sqlites_busy_wait_as_it_was(
    engine: AsyncEngine,
) -> None:
    async with make_sessionmaker(engine)() as session:
        assert await _ADD.rowcount(session, event()) == 1
        connection = await session.connection()
        assert connection.sync_connection is not None
        assert SqliteWriterGate.HELD in connection.sync_connection.info  # taken as a first write takes it
        waits = await session.execute(text("PRAGMA busy_timeout"))
        assert waits.scalar_one() == 15000
        await session.commit()


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
async def test_on_sqlite_a_lock_another_process_holds_sends_the_write_to_the_thread_and_the_loop_runs_on(
    engine: AsyncEngine, tmp_path: Any
) -> None:
    """Another connection (as another process would) holds SQLite's write lock for 0.4 s: the
    write waits for it in aiosqlite's thread, not on the event loop, and lands once it is free."""
    other = sqlite3.connect(tmp_path / "db.sqlite", check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    ticks = 0

    async def ticking() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(ticking())
    threading.Timer(0.4, other.commit).start()
    added = event()
    try:
        async with make_sessionmaker(engine)() as session:
            assert await _ADD.rowcount(session, added) == 1
            await session.commit()
    finally:
        ticker.cancel()
        other.close()
    assert ticks >= 10  # the loop went on while the write waited (40 ticks in 0.4 s unblocked)
    assert await stored(engine, added["event_id"]) == ["licensing.license_activated"]
