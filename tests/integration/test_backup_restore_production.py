"""The production restore drill: ``devforge backup`` in the production profile (pg_dump of a
populated PostgreSQL database while the service runs, the key rings from their mounted secret
folders, local file storage) restored by ``devforge restore`` into another, new and empty
database and empty key folders; a container on the restored database then serves the same
licenses (answers signed with the same key), invoices and extensions."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.settings import Settings
from devforge.bootstrap.settings.licensing import LicensingSettings
from devforge.bootstrap.settings.marketplace import MarketplaceSettings
from devforge.entrypoints.http.app import create_app
from tests.conftest import settings_for_tests
from tests.integration.backends import postgres_database
from tests.integration.backup_drill import assert_serves_the_same, fill, in_process
from tests.services import POSTGRES_URL, require_postgres

DEVFORGE = Path(sys.executable).parent / "devforge"
PG_BIN = Path("/usr/lib/postgresql/15/bin")


@asynccontextmanager
async def empty_postgres_database() -> AsyncIterator[str]:
    """A new database with nothing in it (not even migrated), dropped afterwards."""
    require_postgres()
    name = f"devforge_restore_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    async with admin.connect() as connection:
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as connection:
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def installation(root: Path, database_url: str) -> Settings:
    """Key rings in folders of their own, as mounted secrets are; files on the local disk."""
    return settings_for_tests(
        profile="embedded",  # in-process jobs and the sandbox, on the production database
        database_url=database_url,
        data_dir=str(root / "data"),
        license_keys_dir=str(root / "secrets" / "license_keys"),
        registry_keys_dir=str(root / "secrets" / "registry_keys"),
    )


def production_environment(settings: Settings) -> dict[str, str]:
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")}
    return inherited | {
        "DEVFORGE_PROFILE": "production",
        "DEVFORGE_ANALYTICS_STORE": "chdb",  # no ClickHouse here: each process keeps its own (unused) events
        "DEVFORGE_ARGON2_MEMORY_KIB": "1024",  # hashing is not what this checks
        "DEVFORGE_ARGON2_TIME_COST": "1",
        "DEVFORGE_DATABASE_URL": settings.database.database_url,
        "DEVFORGE_SECRET_KEY": settings.secret_key,
        "DEVFORGE_DATA_DIR": settings.data_dir,
        "DEVFORGE_LICENSE_KEYS_DIR": settings.section(LicensingSettings).license_keys_dir,
        "DEVFORGE_REGISTRY_KEYS_DIR": settings.section(MarketplaceSettings).registry_keys_dir,
        "DEVFORGE_LOG_FORMAT": "json",
    }


def devforge(settings: Settings, *argv: str) -> subprocess.CompletedProcess[str]:
    tools = ["--pg-bin-dir", str(PG_BIN)] if (PG_BIN / "pg_dump").exists() else []
    return subprocess.run(
        [str(DEVFORGE), *argv, *tools],
        env=production_environment(settings),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.xdist_group("backup_drill")
async def test_a_production_backup_restores_into_a_new_database_that_serves_the_same(tmp_path: Path) -> None:
    if not (PG_BIN / "pg_dump").exists() and not shutil.which("pg_dump"):
        pytest.skip("the PostgreSQL client tools (pg_dump, pg_restore) are not installed")
    archive = tmp_path / "production.tar.gz"
    async with postgres_database() as source_url, empty_postgres_database() as target_url:
        source = installation(tmp_path / "source", source_url)
        container = make_container(source)
        app = create_app(container, source)
        await seed_editor_plans(container)
        async with in_process(app) as client:
            filled = await fill(client, app, container, source)
            backup = await asyncio.to_thread(devforge, source, "backup", "--output", str(archive))  # while it serves
        await container.close()
        assert backup.returncode == 0, backup.stderr
        assert '"part": "database"' in backup.stderr and "backup_part_written" in backup.stderr
        assert "secret_key: DEVFORGE_SECRET_KEY comes from the environment" in backup.stdout
        assert archive.stat().st_mode & 0o777 == 0o600

        target = installation(tmp_path / "target", target_url)
        restored = await asyncio.to_thread(devforge, target, "restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        for ring in ("license_keys", "registry_keys"):
            for key in (tmp_path / "source" / "secrets" / ring).iterdir():
                assert (tmp_path / "target" / "secrets" / ring / key.name).read_bytes() == key.read_bytes()
        again = await asyncio.to_thread(devforge, target, "restore", str(archive))
        assert again.returncode == 1 and "the database (" in again.stderr, "a second restore would overwrite"

        container = make_container(target)
        async with in_process(create_app(container, target)) as client:
            await assert_serves_the_same(client, filled)
        await container.close()
