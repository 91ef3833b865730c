"""SQLite's writers in one process queue on the engine's gate, not in SQLite's busy handler: with
the busy timeout at 0 (any writer that met the lock would fail at once) writers that overlap
all succeed, one after the other, whether the one before committed, rolled back or only closed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from devforge.adapters.persistence.engine import SqliteWriterGate, make_engine, make_sessionmaker, writer_gate


def _no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.close()


async def _engine(tmp_path: Path) -> AsyncEngine:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'gate.db'}")
    event.listen(engine.sync_engine, "connect", _no_busy_wait)  # after the engine's own pragmas
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE marks (n INTEGER)"))
    return engine


async def test_overlapping_writers_wait_their_turn_instead_of_failing_on_the_lock(tmp_path: Path) -> None:
    engine = await _engine(tmp_path)
    maker = make_sessionmaker(engine)
    try:
        first = maker()
        await first.execute(text("INSERT INTO marks VALUES (1)"))  # holds SQLite's write lock

        async def write(n: int, end: str) -> None:
            async with maker() as session:
                await session.execute(text("SELECT count(*) FROM marks"))  # a read never waits
                await session.execute(text("INSERT INTO marks VALUES (:n)"), {"n": n})
                if end == "commit":
                    await session.commit()
                elif end == "rollback":
                    await session.rollback()
                # "close": the session's end rolls it back

        waiting = [asyncio.create_task(write(n, end)) for n, end in ((2, "rollback"), (3, "close"), (4, "commit"))]
        await asyncio.sleep(0.2)
        assert not any(task.done() for task in waiting)  # queued behind the first writer
        await first.commit()
        await first.close()
        await asyncio.wait_for(asyncio.gather(*waiting), timeout=10)
        async with maker() as session:
            kept = (await session.execute(text("SELECT n FROM marks ORDER BY n"))).scalars().all()
        assert kept == [1, 4]
    finally:
        await engine.dispose()


async def test_a_connection_goes_back_rolled_back_only_when_its_transaction_is_still_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pool's reset rolls back what is left open (and the gate passes on), but a committed
    write goes back without a rollback, which would be one more hop to aiosqlite's thread."""
    engine = await _engine(tmp_path)
    rollbacks: list[str] = []
    rollback = aiosqlite.Connection.rollback

    async def counted(connection: aiosqlite.Connection) -> None:
        rollbacks.append("rollback")
        await rollback(connection)

    monkeypatch.setattr(aiosqlite.Connection, "rollback", counted)
    maker = make_sessionmaker(engine)
    try:
        async with maker() as session:
            await session.execute(text("INSERT INTO marks VALUES (1)"))
            await session.commit()
        assert rollbacks == []

        # A write under the pool's nose (SQLAlchemy knows of no transaction): the reset ends it.
        connection = await engine.connect()
        await connection.run_sync(
            lambda sync: sync.connection.dbapi_connection.cursor().execute(  # type: ignore[union-attr]
                "INSERT INTO marks VALUES (2)"
            )
        )
        await connection.close()
        assert rollbacks == ["rollback"]

        async with maker() as session:  # SQLite's lock was let go: busy_timeout 0 would fail at once
            await session.execute(text("INSERT INTO marks VALUES (3)"))
            await session.commit()
            kept = (await session.execute(text("SELECT n FROM marks ORDER BY n"))).scalars().all()
        assert kept == [1, 3]
    finally:
        await engine.dispose()


async def test_a_writer_kept_waiting_past_the_limit_goes_on_without_the_gate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mistake can cost time, never a deadlock."""
    engine = await _engine(tmp_path)
    gate = writer_gate(engine)
    assert gate is not None
    monkeypatch.setattr(SqliteWriterGate, "WAIT_SECONDS", 0.2)
    try:
        async with gate.held():
            entered = asyncio.Event()

            async def second() -> None:
                async with gate.held():
                    entered.set()

            started = asyncio.get_running_loop().time()
            await asyncio.wait_for(second(), timeout=5)
            assert entered.is_set() and asyncio.get_running_loop().time() - started >= 0.2
    finally:
        await engine.dispose()
