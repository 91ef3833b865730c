"""Containers whose persistence runs on memory, SQLite or PostgreSQL, for contract tests.

Each SQL backend gets its own database at head, so tests (and xdist workers) never share state:
a copy of a template migrated once per set of migration files, not a migration per test.
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from dishka import AsyncContainer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from devforge.adapters.persistence.migrate import MIGRATIONS, upgrade
from devforge.bootstrap.container import make_container, memory_providers, sql_providers
from tests.conftest import settings_for_tests
from tests.services import POSTGRES_URL, require_postgres

BACKENDS = ("memory", "sqlite", "postgres")


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A PostgreSQL database at head, for this test alone.

    Databases are copies of a template migrated once per set of migration files
    (``CREATE DATABASE ... TEMPLATE``), and are reused within a test process: a database handed
    back is emptied (its other connections ended, every table truncated) and handed out again,
    which costs far less than creating one. ``drop_pooled_databases`` drops them at the end."""
    require_postgres()
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        name = _POOL.pop() if _POOL else await _new_database(admin)
        try:
            yield _database_url(name)
        finally:
            reusable = await _empty(admin, name)
        if reusable:
            _POOL.append(name)
        else:  # a test changed the schema (a migration test stepped down): never hand it out again
            async with admin.connect() as connection:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


_POOL: list[str] = []


async def _new_database(admin: AsyncEngine) -> str:
    name = f"devforge_test_{uuid.uuid4().hex[:12]}"
    template = await _postgres_template(admin)
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    if not _TEMPLATE_SCHEMA:  # read from the copy: a connection to the template would block copying it
        engine = create_async_engine(_database_url(name))
        try:
            async with engine.connect() as connection:
                _TEMPLATE_SCHEMA.append(await _schema(connection))
        finally:
            await engine.dispose()
    return name


async def _empty(admin: AsyncEngine, name: str) -> bool:
    """Deletes every row in one transaction, and answers whether the schema is still the
    template's (same revision, same tables), so the database can be handed out again.

    Not TRUNCATE: that makes new files for every table and index, and syncing them costs seconds.
    Replica mode skips the triggers (foreign keys, the append-only ledger's guards) so the order
    of the deletes does not matter. No table uses a sequence, so nothing else carries over."""
    async with admin.connect() as connection:
        await connection.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"), {"name": name}
        )
    engine = create_async_engine(_database_url(name))
    try:
        async with engine.begin() as connection:
            tables = (await connection.execute(text(_TABLES))).scalars().all()
            if await _schema(connection) != _TEMPLATE_SCHEMA[0]:
                return False
            await connection.execute(text("SET LOCAL session_replication_role = replica"))
            for table in tables:
                if table != "alembic_version":
                    await connection.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - names from the catalog
        return True
    finally:
        await engine.dispose()


_TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
_TEMPLATE_SCHEMA: list[tuple[str, ...]] = []


async def _schema(connection: AsyncConnection) -> tuple[str, ...]:
    tables = tuple((await connection.execute(text(_TABLES))).scalars().all())
    if "alembic_version" not in tables:
        return tables
    revision = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
    return (*tables, *revision)


def drop_pooled_databases() -> None:
    """Called once when a test process ends (tests/conftest.py)."""
    if not _POOL:
        return

    async def drop() -> None:
        admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        try:
            async with admin.connect() as connection:
                while _POOL:
                    await connection.execute(text(f'DROP DATABASE IF EXISTS "{_POOL.pop()}" WITH (FORCE)'))
        finally:
            await admin.dispose()

    asyncio.run(drop())


@asynccontextmanager
async def sqlite_database(folder: Path) -> AsyncIterator[str]:
    """A new SQLite file at head: a copy of a template file migrated once per set of migrations."""
    path = folder / f"{uuid.uuid4().hex}.db"
    shutil.copyfile(await asyncio.to_thread(_sqlite_template), path)
    yield f"sqlite+aiosqlite:///{path}"


def _database_url(name: str) -> str:
    return POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"


def migrations_fingerprint() -> str:
    """Changes whenever a migration (or the Alembic environment) changes, so a stale template is
    never used: templates are named by it."""
    digest = hashlib.sha256()
    for path in sorted(MIGRATIONS.rglob("*.py")):
        digest.update(path.relative_to(MIGRATIONS).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


async def _postgres_template(admin: AsyncEngine) -> str:
    """Built once under an advisory lock (xdist workers and parallel runs race for it), under a
    temporary name and renamed when complete, so a half-migrated template is never copied."""
    template = f"devforge_template_{migrations_fingerprint()}"
    async with admin.connect() as connection:
        await connection.execute(text("SELECT pg_advisory_lock(hashtext(:name))"), {"name": template})
        try:
            found = await connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": template})
            if not found:
                building = f"{template}_{uuid.uuid4().hex[:8]}"
                await connection.execute(text(f'CREATE DATABASE "{building}"'))
                await asyncio.to_thread(upgrade, _database_url(building))
                await connection.execute(text(f'ALTER DATABASE "{building}" RENAME TO "{template}"'))
        finally:
            await connection.execute(text("SELECT pg_advisory_unlock(hashtext(:name))"), {"name": template})
    return template


def _sqlite_template() -> Path:
    folder = Path(tempfile.gettempdir()) / "devforge-test-templates"
    folder.mkdir(exist_ok=True)
    template = folder / f"{migrations_fingerprint()}.db"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = folder / f"{uuid.uuid4().hex}.db"
            upgrade(f"sqlite+aiosqlite:///{building}")
            with sqlite3.connect(building) as connection:  # everything in the main file, none in a WAL
                connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                connection.execute("PRAGMA journal_mode=DELETE")
            building.rename(template)
    return template


@asynccontextmanager
async def backend_container(backend: str, folder: Path) -> AsyncIterator[AsyncContainer]:
    """Memory adapters throughout, with persistence and every context's repositories on ``backend``."""
    if backend == "memory":
        container = make_container(settings_for_tests(), base=memory_providers())
        yield container
        await container.close()
        return
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url:
        container = make_container(settings_for_tests(database_url=url), *sql_providers(), base=memory_providers())
        try:
            yield container
        finally:
            await container.close()
