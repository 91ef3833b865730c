"""The embedded engine's SQLite driver runs each statement in one trip to aiosqlite's thread
(cursor, execute, fetch, close together) and answers as pysqlite does: the rows, the row count,
the last row id, its errors, and a transaction that commits or rolls back whole."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from devforge.adapters.persistence.engine import make_engine


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The functions sent to aiosqlite's thread, in order (counted, then run as before)."""
    sent: list[str] = []
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        sent.append(getattr(fn, "__name__", type(fn).__name__))
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return sent


async def test_each_statement_is_one_trip_and_answers_as_pysqlite(tmp_path: Path, trips: list[str]) -> None:
    engine = make_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}")
    async with engine.connect() as connection:
        await connection.execute(text("CREATE TABLE names (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE)"))
        await connection.commit()
        trips.clear()

        inserted = await connection.execute(text("INSERT INTO names (name) VALUES ('ada')"))
        names = [{"name": "bo"}, {"name": "cy"}]
        many = await connection.execute(text("INSERT INTO names (name) VALUES (:name)"), names)
        rows = (await connection.execute(text("SELECT id, name FROM names ORDER BY id"))).mappings().all()
        assert trips == ["_execute", "_executemany", "_execute"]  # stock: 3, 3 and 4 trips
        assert (inserted.rowcount, inserted.lastrowid, many.rowcount) == (1, 1, 2)
        assert [(row["id"], row["name"]) for row in rows] == [(1, "ada"), (2, "bo"), (3, "cy")]

        with pytest.raises(IntegrityError):
            await connection.execute(text("INSERT INTO names (name) VALUES ('ada')"))
        await connection.rollback()  # the whole transaction: bo and cy with it
        assert (await connection.execute(text("SELECT count(*) FROM names"))).scalar_one() == 0

        await connection.execute(text("INSERT INTO names (name) VALUES ('di')"))
        await connection.commit()
    async with engine.connect() as other:
        assert (await other.execute(text("SELECT name FROM names"))).scalars().all() == ["di"]
    await engine.dispose()
