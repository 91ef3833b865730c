"""``devforge backup``: one archive with everything needed to bring this installation back.

Taken while the service runs: the database first (SQLite's online backup API in embedded,
``pg_dump`` in production, each a consistent snapshot), then the files. A blob is written before
the row that points at it, so every blob the snapshot refers to is on disk when the files are
read (unless it is deleted in between, when the backup has the row without the blob).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import msgspec

from devforge.adapters.backup.manifest import FORMAT, VERSION, Manifest, Progress, quiet
from devforge.adapters.backup.postgres_dump import PgDumpTool, PostgresToolFailed
from devforge.adapters.backup.sqlite_online_backup import SnapshotFailed, snapshot
from devforge.adapters.backup.tar_backup_writer import BackupFailed, TarBackupWriter
from devforge.adapters.persistence.migrate import current_revision
from devforge.bootstrap.backup_parts import (
    DATABASE,
    DUMP_NAME,
    SQLITE_NAME,
    file_locations,
    is_sqlite,
    not_included,
    secret_key_path,
    sqlite_path,
)
from devforge.bootstrap.settings import Settings

__all__ = ["BackupFailed", "Manifest", "back_up", "default_archive_name"]


def default_archive_name(now: datetime | None = None) -> Path:
    return Path(f"devforge-backup-{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}.tar.gz")


def back_up(
    settings: Settings,
    destination: Path,
    *,
    include_mail: bool = False,
    include_keys: bool = True,
    pg_bin_dir: Path | None = None,
    progress: Progress = quiet,
) -> Manifest:
    """Writes the archive at ``destination`` (mode 0600; refused if it exists) and answers its manifest."""
    secret_file = settings.profile == "embedded" and secret_key_path(settings).is_file()
    header = Manifest(
        format=FORMAT,
        version=VERSION,
        created_at=datetime.now(UTC),
        profile=settings.profile,
        schema_revision=None,
        parts=(),
        not_included=not_included(settings, mail=include_mail, keys=include_keys, secret_file=secret_file),
    )
    progress("backup_started", archive=str(destination), profile=settings.profile)
    with TarBackupWriter(destination, progress) as writer, _scratch(destination) as scratch:
        revision = _database(settings, writer, scratch, pg_bin_dir, progress)
        for location in file_locations(settings, mail=include_mail, keys=include_keys):
            if location.is_file:
                if location.path.is_file():
                    writer.add_file(location.part, "file", location.path, location.path.name)
            else:
                writer.add_tree(location.part, location.path)
        manifest = writer.finish(msgspec.structs.replace(header, schema_revision=revision))
    progress("backup_finished", archive=str(destination), parts=len(manifest.parts), schema_revision=revision)
    return manifest


def _database(
    settings: Settings, writer: TarBackupWriter, scratch: Path, pg_bin_dir: Path | None, progress: Progress
) -> str | None:
    progress("backup_part_started", part=DATABASE)
    try:
        if is_sqlite(settings):
            copy = scratch / SQLITE_NAME
            revision = snapshot(sqlite_path(settings), copy)
            writer.add_file(DATABASE, "sqlite", copy, SQLITE_NAME)
            return revision
        revision = current_revision(settings.database.database_url)
        dump = scratch / DUMP_NAME
        PgDumpTool(settings.database.database_url, pg_bin_dir).dump(dump)
        writer.add_file(DATABASE, "pg_dump", dump, DUMP_NAME)
        return revision
    except (SnapshotFailed, PostgresToolFailed) as error:
        raise BackupFailed(str(error)) from error


@contextmanager
def _scratch(destination: Path) -> Iterator[Path]:
    """Beside the archive (it has room for the database anyway); private, removed afterwards."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=destination.parent, prefix=".devforge-backup-") as folder:
        yield Path(folder)
