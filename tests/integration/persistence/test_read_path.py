"""The common read path on SQLite runs each statement on its own read-only connection on the
event loop's thread: the rows must be exactly what SQLAlchemy hands back for the same statement
(UUIDs, aware datetimes, booleans, JSON, labels, joins, constants), committed data only."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from sqlalchemy import JSON, Boolean, Column, ForeignKey, MetaData, String, Table, Uuid, bindparam, exc, select
from sqlalchemy.ext.asyncio import AsyncEngine

from devforge.adapters.persistence.engine import make_engine
from devforge.adapters.persistence.read_path import ReadPath
from devforge.adapters.persistence.types import UTCDateTime

metadata = MetaData()
owners = Table("owners", metadata, Column("id", Uuid, primary_key=True), Column("name", String(40)))
things = Table(
    "things",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("owner_id", Uuid, ForeignKey("owners.id")),
    Column("made_at", UTCDateTime, nullable=True),
    Column("sealed", Boolean),
    Column("facts", JSON, nullable=True),
    Column("kind", String(20)),
)
OWNER = uuid4()
MADE = datetime(2026, 12, 7, 5, 30, 15, 123456, tzinfo=UTC)

_BY_OWNER = (
    select(things, owners.c.name.label("owner_name"))
    .join(owners, owners.c.id == things.c.owner_id)
    .where(things.c.owner_id == bindparam("owner_id"), things.c.kind == "tool")  # a constant parameter too
    .order_by(things.c.made_at)
)
_AFTER = select(things.c.id).where(things.c.made_at > bindparam("after")).order_by(things.c.id)
_AMONG = select(things.c.id).where(things.c.id.in_(bindparam("ids", expanding=True))).order_by(things.c.id)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    built = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'reads.db'}")
    async with built.begin() as connection:
        await connection.run_sync(metadata.create_all)
        await connection.execute(owners.insert(), [{"id": OWNER, "name": "ada"}])
        await connection.execute(
            things.insert(),
            [
                {"id": uuid4(), "owner_id": OWNER, "made_at": MADE, "sealed": True, "facts": {"a": 1}, "kind": "tool"},
                {"id": uuid4(), "owner_id": OWNER, "made_at": None, "sealed": False, "facts": None, "kind": "tool"},
                {"id": uuid4(), "owner_id": OWNER, "made_at": MADE, "sealed": False, "facts": [], "kind": "toy"},
            ],
        )
    yield built
    await built.dispose()


async def sqlalchemy_rows(engine: AsyncEngine, statement: object, **params: object) -> list[dict[str, object]]:
    async with engine.connect() as connection:
        return [dict(row) for row in (await connection.execute(statement, params)).mappings()]  # type: ignore[call-overload]


async def test_rows_are_what_sqlalchemy_reads_for_the_same_statement(engine: AsyncEngine) -> None:
    reads = ReadPath(engine)
    try:
        for statement, params in [
            (_BY_OWNER, {"owner_id": OWNER}),
            (_BY_OWNER, {"owner_id": uuid4()}),
            (_AFTER, {"after": datetime(2026, 1, 1, tzinfo=UTC)}),
            (_AMONG, {"ids": [uuid4(), uuid4()]}),  # an expanding IN keeps the pooled connection
        ]:
            expected = await sqlalchemy_rows(engine, statement, **params)
            assert [dict(row) for row in await reads.prepare(statement).rows(**params)] == expected
        found = await reads.prepare(_BY_OWNER).rows(owner_id=OWNER)
        assert [row["kind"] for row in found] == ["tool", "tool"] and found[0]["owner_name"] == "ada"
        assert isinstance(found[0]["id"], UUID) and found[1]["made_at"] == MADE and found[1]["sealed"] is True
        assert found[1]["facts"] == {"a": 1}
    finally:
        reads.close()


async def test_a_read_sees_committed_writes_only_and_never_writes(engine: AsyncEngine) -> None:
    reads = ReadPath(engine)
    by_owner = reads.prepare(_BY_OWNER)
    try:
        assert len(await by_owner.rows(owner_id=OWNER)) == 2
        async with engine.connect() as writer:
            await writer.execute(things.insert(), [{"id": uuid4(), "owner_id": OWNER, "sealed": True, "kind": "tool"}])
            assert len(await by_owner.rows(owner_id=OWNER)) == 2  # not committed yet, and no wait for the writer
            await writer.commit()
        assert len(await by_owner.rows(owner_id=OWNER)) == 3
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reads._local.connection().execute("DELETE FROM things")  # type: ignore[union-attr]
    finally:
        reads.close()


async def test_a_failed_read_raises_as_sqlalchemy_does(tmp_path: Path) -> None:
    """Callers map SQLAlchemy's errors (a database away is a 503): a missing table included."""
    empty = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    reads = ReadPath(empty)
    try:
        with pytest.raises(exc.OperationalError, match="no such table"):
            await reads.prepare(_BY_OWNER).rows(owner_id=OWNER)
    finally:
        reads.close()
        await empty.dispose()
