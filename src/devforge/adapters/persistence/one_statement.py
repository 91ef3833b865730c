"""A write that is atomic by itself (one INSERT), with no transaction of ours around it.

PostgreSQL gets an autocommit connection: the statement is one round trip, with no BEGIN and
COMMIT of its own. SQLite gets the plain engine: its driver begins only at the INSERT, and the
commit ends it (autocommit there costs hops to aiosqlite's thread at every checkout and return,
read_path.py); a SQLite file's write goes on the loop's thread first (``LoopWrites``), and this
way only when another process holds SQLite's lock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


def one_statement_engine(engine: AsyncEngine) -> AsyncEngine:
    """The engine ``one_statement`` takes: PostgreSQL's in autocommit, SQLite's as it is."""
    return engine if engine.dialect.name == "sqlite" else engine.execution_options(isolation_level="AUTOCOMMIT")


@asynccontextmanager
async def one_statement(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A connection for one statement, committed when the block ends. It goes back in place:
    ``async with``'s exit would hand it back through a task of its own behind a shield, more
    turns of a busy event loop, and in the embedded profile with SQLite's writer gate held all
    the while (bench/README.md). A failed statement's connection is rolled back under a shield."""
    connection = await engine.connect().start()
    try:
        yield connection
        await connection.commit()
    finally:
        if connection.in_transaction():
            await asyncio.shield(connection.close())
        else:
            await connection.close()
