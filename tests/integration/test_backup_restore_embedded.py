"""Must-show: a backup of a populated embedded instance, taken while it serves and writes,
restored into an empty data directory, serves the same licenses (validation answers signed with
the same key), invoices and extensions.

The original instance runs in-process (on the test's loop) on its own data directory (the embedded wiring: SQLite,
key rings and files on disk, a generated secret key); ``devforge backup`` and ``devforge
restore`` run as shipped, in subprocesses; the restored instance is a real ``devforge serve``.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from devforge.bootstrap.billing_seed import seed_editor_plans
from devforge.bootstrap.container import make_container
from devforge.bootstrap.migrations import migrate
from devforge.bootstrap.settings import load_settings
from devforge.entrypoints.http.app import create_app
from tests.integration.backup_drill import assert_serves_the_same, fill, in_process
from tests.integration.http.authentication_steps import PASSWORD
from tests.integration.test_serve_smoke import Server, free_port, wait_until

DEVFORGE = Path(sys.executable).parent / "devforge"
CHEAP_ARGON2 = {"DEVFORGE_ARGON2_MEMORY_KIB": "1024", "DEVFORGE_ARGON2_TIME_COST": "1"}


def environment(data_dir: Path) -> dict[str, str]:
    inherited = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")}
    return inherited | CHEAP_ARGON2 | {"DEVFORGE_DATA_DIR": str(data_dir), "DEVFORGE_LOG_FORMAT": "json"}


@pytest.mark.xdist_group("backup_drill")
async def test_a_restored_backup_serves_the_same_licenses_invoices_and_extensions(tmp_path: Path) -> None:
    original, restored, archive = tmp_path / "original", tmp_path / "restored", tmp_path / "backup.tar.gz"
    backup_log = tmp_path / "backup.log"
    # The sign-ups during the backup would pass the per-address limit of the auth routes.
    unlimited = environment(original) | {"DEVFORGE_RATE_LIMIT_AUTH_PER_MINUTE": "100000"}
    settings = load_settings(unlimited)  # generates <data dir>/secret_key, as `serve` does
    await asyncio.to_thread(migrate, settings)
    container = make_container(settings)
    app = create_app(container, settings)
    await seed_editor_plans(container)
    async with in_process(app) as client:  # the drains and the app on this loop (see in_process)
        filled = await fill(client, app, container, settings)

        # The instance keeps writing (sign-ups, one after the other) while the backup runs.
        with backup_log.open("w") as stderr:
            backup = await asyncio.create_subprocess_exec(
                str(DEVFORGE), "backup", "--output", str(archive), env=environment(original), stderr=stderr
            )
        finished = asyncio.create_task(backup.wait())
        signed_up = 0
        while not finished.done():
            email = f"during-{signed_up:04d}@example.com"
            answer = await client.post("/api/auth/register", json={"email": email, "password": PASSWORD})
            assert answer.status_code == 201, answer.text
            signed_up += 1
            await asyncio.sleep(0.01)  # the test client may answer without suspending: let the loop see the exit
        assert await finished == 0, backup_log.read_text()
    await container.close()
    assert signed_up > 0
    assert archive.stat().st_mode & 0o777 == 0o600, "the archive holds signing keys"
    assert "backup_part_written" in backup_log.read_text(), "progress is reported per part"

    restore = subprocess.run(
        [str(DEVFORGE), "restore", str(archive)], env=environment(restored), capture_output=True, check=False
    )
    assert restore.returncode == 0, restore.stderr.decode()
    secrets = ["secret_key", *(str(p.relative_to(original)) for p in original.glob("*_keys/*"))]
    assert len(secrets) == 5, secrets  # the secret key; each ring's index and one key
    for secret in secrets:
        assert (restored / secret).read_bytes() == (original / secret).read_bytes(), secret
        assert (restored / secret).stat().st_mode & 0o777 == 0o600, secret
    # One consistent moment: the sign-ups the snapshot holds are the first n, none missing.
    with sqlite3.connect(restored / "devforge.db") as db:
        during = sorted(row[0] for row in db.execute("SELECT email FROM users WHERE email LIKE 'during-%'"))
    assert during == [f"during-{n:04d}@example.com" for n in range(len(during))]
    assert len(during) <= signed_up

    server = serve(restored, tmp_path / "serve.log")
    try:
        wait_until(server.ready, 120, "the restored instance to answer /health/ready")  # a loaded CI machine
        async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:  # first PDF: a fresh child
            await assert_serves_the_same(http, filled)
    finally:
        server.process.kill()
        server.process.wait()


def serve(data_dir: Path, log: Path) -> Server:
    port = free_port()
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [str(DEVFORGE), "serve", "--port", str(port)],
            env=environment(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    return Server(process, f"http://127.0.0.1:{port}", log)
