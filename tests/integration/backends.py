"""Containers whose persistence runs on memory, SQLite or PostgreSQL, for contract tests.

Each SQL backend gets its own freshly migrated database, so tests (and xdist workers) never
share state.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from dishka import AsyncContainer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.adapters.persistence.migrate import upgrade
from devforge.bootstrap.container import make_container, memory_providers
from devforge.bootstrap.providers.access import SqlaAccessProvider
from devforge.bootstrap.providers.account_recovery import SqlaOneTimeTokenProvider
from devforge.bootstrap.providers.identity import SqlaIdentityProvider
from devforge.bootstrap.providers.licensing import SqlaLicensingProvider
from devforge.bootstrap.providers.persistence import SqlaPersistenceProvider
from tests.conftest import settings_for_tests
from tests.services import POSTGRES_URL, require_postgres

BACKENDS = ("memory", "sqlite", "postgres")


@asynccontextmanager
async def postgres_database() -> AsyncIterator[str]:
    """A new, migrated PostgreSQL database, dropped afterwards."""
    require_postgres()
    name = f"devforge_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        await asyncio.to_thread(upgrade, url)
        yield url
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@asynccontextmanager
async def sqlite_database(folder: Path) -> AsyncIterator[str]:
    url = f"sqlite+aiosqlite:///{folder / f'{uuid.uuid4().hex}.db'}"
    await asyncio.to_thread(upgrade, url)
    yield url


@asynccontextmanager
async def backend_container(backend: str, folder: Path) -> AsyncIterator[AsyncContainer]:
    """Memory adapters throughout, with persistence (and identity's repositories) on ``backend``."""
    if backend == "memory":
        container = make_container(settings_for_tests(), base=memory_providers())
        yield container
        await container.close()
        return
    database = postgres_database() if backend == "postgres" else sqlite_database(folder)
    async with database as url:
        container = make_container(
            settings_for_tests(database_url=url),
            SqlaPersistenceProvider(),
            SqlaIdentityProvider(),
            SqlaAccessProvider(),
            SqlaOneTimeTokenProvider(),
            SqlaLicensingProvider(),
            base=memory_providers(),
        )
        try:
            yield container
        finally:
            await container.close()
