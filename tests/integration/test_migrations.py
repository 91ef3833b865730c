"""The migration stairway: every revision upgrades, downgrades one step and upgrades again on
SQLite and PostgreSQL, and head builds exactly the schema the table metadata describes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.adapters.persistence import migrate
from devforge.adapters.persistence.tables import metadata
from tests.services import POSTGRES_URL, require_postgres

T = TypeVar("T")
CORE_TABLES = {"users", "sessions", "refresh_token_digests", "outbox", "deliveries"}


@pytest.fixture(params=["sqlite", "postgres"])
async def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """The URL of a database nothing has been migrated into yet."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'stairway.db'}"
        return
    require_postgres()
    name = f"devforge_stairway_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


async def on_connection(url: str, work: Callable[[Connection], T]) -> T:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(work)
    finally:
        await engine.dispose()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def table_names(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def schema_drift(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True, "target_metadata": metadata})
    return list(compare_metadata(context, metadata))


async def test_each_revision_upgrades_downgrades_and_upgrades_again(empty_database: str) -> None:
    revisions = migrate.revisions(empty_database)
    assert revisions, "no migrations found"
    for previous, revision in zip(["base", *revisions], revisions, strict=False):
        await asyncio.to_thread(migrate.upgrade, empty_database, revision)
        await asyncio.to_thread(migrate.downgrade, empty_database, previous)
        expected_after_downgrade = None if previous == "base" else previous
        assert await on_connection(empty_database, current_revision) == expected_after_downgrade
        await asyncio.to_thread(migrate.upgrade, empty_database, revision)
        assert await on_connection(empty_database, current_revision) == revision


async def test_head_has_every_table_and_base_has_none(empty_database: str) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_database, "head")
    at_head = await on_connection(empty_database, table_names)
    assert at_head >= CORE_TABLES
    assert at_head == set(metadata.tables)

    await asyncio.to_thread(migrate.downgrade, empty_database, "base")
    assert await on_connection(empty_database, table_names) == set()


async def test_migrations_at_head_match_the_table_metadata(empty_database: str) -> None:
    await asyncio.to_thread(migrate.upgrade, empty_database, "head")
    assert await on_connection(empty_database, schema_drift) == []
