"""The embedded data folder is private to the service's user: the database and its WAL, the
secret key, the key rings, the Maildir and stored files are closed to group and others, on a
fresh install and on one an older release left open."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.integration.test_forwarded_for import serve
from tests.integration.test_serve_smoke import DEVFORGE, PASSWORD, wait_until


def open_to_others(root: Path, *, besides: tuple[str, ...] = ()) -> list[str]:
    """Every path under ``root`` (and ``root``) that group or others may read, write or enter."""
    paths = [root, *root.rglob("*")]
    return [
        f"{path.relative_to(root)} {stat.filemode(path.stat().st_mode)}"
        for path in paths
        if path.name not in besides and path.stat().st_mode & 0o077
    ]


def migrate(data_dir: Path) -> None:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DEVFORGE_")}
    done = subprocess.run(
        [str(DEVFORGE), "migrate"], env=env | {"DEVFORGE_DATA_DIR": str(data_dir)}, capture_output=True, timeout=300
    )
    assert done.returncode == 0, done.stderr.decode()


def test_a_fresh_data_folder_is_private(tmp_path: Path) -> None:
    data = tmp_path / "var"
    migrate(data)
    assert (data / "devforge.db").exists() and (data / "secret_key").exists()
    assert open_to_others(data) == []
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "devforge.db").stat().st_mode) == 0o600


def test_a_data_folder_an_older_release_left_open_is_closed(tmp_path: Path) -> None:
    data = tmp_path / "var"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    with sqlite3.connect(data / "devforge.db") as db:
        db.execute("PRAGMA journal_mode=WAL")
    (data / "devforge.db").chmod(0o644)
    migrate(data)
    assert open_to_others(data) == []


@pytest.mark.xdist_group("served_forwarded_for")
def test_what_devforge_serve_writes_is_private(tmp_path: Path) -> None:
    with serve(tmp_path) as served, httpx.Client(base_url=served.url, timeout=10) as http:
        registered = http.post("/api/auth/register", json={"email": "ada@example.com", "password": PASSWORD})
        assert registered.status_code == 201, registered.text
        assert http.post("/api/auth/login", json={"email": "ada@example.com", "password": PASSWORD}).status_code == 200
        inbox = tmp_path / "mail" / "new"
        wait_until(lambda: inbox.is_dir() and len(list(inbox.iterdir())) >= 2, 30, "the welcome and sign-in mails")
        written = {path.name for path in tmp_path.iterdir()}
        assert {"devforge.db", "devforge.db-wal", "devforge.db-shm", "secret_key", "mail"} <= written, written
        assert open_to_others(tmp_path, besides=("serve.log",)) == []
