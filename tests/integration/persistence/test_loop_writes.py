"""A one-statement write on the event loop's thread (SQLite files): it binds its values as
SQLAlchemy would, waits its turn behind the process's pooled writers on the writer gate instead
of meeting SQLite's lock, does not wait at all when another process holds the lock (None: the
caller writes the pooled way), and fails as SQLAlchemy fails."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import JSON, Column, MetaData, String, Table, Uuid, insert, select, text
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from devforge.adapters.persistence.engine import make_engine, make_sessionmaker
from devforge.adapters.persistence.loop_writes import LoopWrites
from devforge.adapters.persistence.types import UTCDateTime

metadata = MetaData()
marks = Table(
    "marks",
    metadata,
    Column("id", String(20), primary_key=True),
    Column("owner", Uuid, nullable=False),
    Column("body", JSON, nullable=False),
    Column("at", UTCDateTime, nullable=False),
)
KEYS = ("id", "owner", "body", "at")
AT = datetime(2026, 5, 1, 12, 30, 15, 250_000, tzinfo=UTC)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'writes.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
def writes(engine: AsyncEngine) -> AsyncIterator[LoopWrites]:
    writes = LoopWrites(engine)
    yield writes
    writes.close()


def mark(name: str, owner: UUID | None = None) -> dict[str, object]:
    return {"id": name, "owner": owner or uuid4(), "body": [{"a": 1}, "b"], "at": AT}


async def kept(engine: AsyncEngine) -> list[dict[str, object]]:
    async with engine.connect() as connection:
        rows = (await connection.execute(select(marks).order_by(marks.c.id))).mappings().all()
    return [dict(row) for row in rows]


async def test_a_write_stores_what_sqlalchemy_reads_back(engine: AsyncEngine, writes: LoopWrites) -> None:
    write = writes.prepare(insert(marks), KEYS)
    assert write is not None
    owner = uuid4()

    assert await write.run(mark("one", owner)) == 1

    assert await kept(engine) == [{"id": "one", "owner": owner, "body": [{"a": 1}, "b"], "at": AT}]


async def test_it_waits_its_turn_behind_a_pooled_writer_instead_of_meeting_the_lock(
    engine: AsyncEngine, writes: LoopWrites
) -> None:
    write = writes.prepare(insert(marks), KEYS)
    assert write is not None
    session = make_sessionmaker(engine)()
    await session.execute(insert(marks), mark("first"))  # holds the gate and SQLite's write lock

    waiting = asyncio.create_task(write.run(mark("second")))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    await session.commit()
    await session.close()

    assert await asyncio.wait_for(waiting, timeout=5) == 1  # it met no lock (it would not wait for one)
    assert [row["id"] for row in await kept(engine)] == ["first", "second"]


async def test_another_process_writing_answers_none_at_once_and_writes_nothing(
    engine: AsyncEngine, writes: LoopWrites, tmp_path: Path
) -> None:
    write = writes.prepare(insert(marks), KEYS)
    assert write is not None
    other = sqlite3.connect(tmp_path / "writes.db", isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another process's write transaction
        started = asyncio.get_running_loop().time()
        assert await write.run(mark("refused")) is None
        assert asyncio.get_running_loop().time() - started < 0.5  # the loop did not sit in a busy handler
        other.execute("ROLLBACK")
    finally:
        other.close()

    assert await write.run(mark("later")) == 1
    assert [row["id"] for row in await kept(engine)] == ["later"]


async def test_it_fails_as_sqlalchemy_fails(engine: AsyncEngine, writes: LoopWrites) -> None:
    write = writes.prepare(insert(marks), KEYS)
    assert write is not None
    await write.run(mark("taken"))
    with pytest.raises(IntegrityError):
        await write.run(mark("taken"))
    async with engine.begin() as connection:
        await connection.execute(text("DROP TABLE marks"))
    with pytest.raises(OperationalError):
        await write.run(mark("gone"))


async def test_only_a_sqlite_file_whose_gate_is_known_writes_on_the_loop(tmp_path: Path) -> None:
    ours = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'ours.db'}")
    foreign = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'foreign.db'}")  # no writer gate
    memory = make_engine("sqlite+aiosqlite:///:memory:")
    postgres = make_engine("postgresql+asyncpg://nobody@127.0.0.1:1/nothing")
    try:
        assert LoopWrites(ours).prepare(insert(marks), KEYS) is not None
        for other in (foreign, memory, postgres):
            assert LoopWrites(other).prepare(insert(marks), KEYS) is None
    finally:
        for engine in (ours, foreign, memory, postgres):
            await engine.dispose()
