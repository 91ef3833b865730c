"""A consistent copy of a live SQLite database through SQLite's online backup API.

``sqlite3.Connection.backup`` in one step copies every page inside one read transaction: the
copy is the database as of one commit, the WAL's committed pages included (copying the file
alone would miss them), and in WAL mode the server keeps writing meanwhile.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

BUSY_TIMEOUT_SECONDS = 15.0


class SnapshotFailed(Exception):
    """The database could not be copied, or its copy failed SQLite's own check."""


def snapshot(source: Path, target: Path) -> str | None:
    """Copies ``source`` into the new file ``target``; answers the copy's schema revision
    (Alembic's ``alembic_version``; None if it was never migrated)."""
    if not source.is_file():
        raise SnapshotFailed(f"there is no database at {source}")
    # mode=rw: a missing file is an error, never a new empty database.
    uri = f"{source.resolve().as_uri()}?mode=rw"
    try:
        live = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        with closing(live), closing(sqlite3.connect(target)) as copy:
            live.backup(copy)
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise SnapshotFailed(f"the copy of {source} fails SQLite's quick_check: {verdict}")
            return _revision(copy)
    except sqlite3.Error as error:
        raise SnapshotFailed(f"could not copy {source}: {error}") from error


def _revision(connection: sqlite3.Connection) -> str | None:
    try:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError:  # no such table: nothing was ever migrated
        return None
    return str(row[0]) if row else None
