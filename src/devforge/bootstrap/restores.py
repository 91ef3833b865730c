"""``devforge restore``: an archive of ``devforge backup`` back onto this host, all or nothing.

The target must be empty: the data directory in embedded, the database in production (and any
key ring or file store folder must be empty, or already hold exactly what the archive has).
``force`` replaces what is there; replaced files are moved aside, never deleted, and a
production database is cleaned by ``pg_restore --clean`` inside its one transaction.

Nothing is put in place before every byte was checked against the manifest: parts are written
to staging paths, the manifest is checked, the database is restored (production), and only then
are the staged folders renamed into place.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from devforge.adapters.backup.manifest import ArchiveInvalid, Manifest, Progress, quiet
from devforge.adapters.backup.postgres_dump import PgDumpTool, PostgresToolFailed
from devforge.adapters.backup.tar_backup_reader import Destination, read_archive
from devforge.adapters.persistence.migrate import revisions, table_names
from devforge.bootstrap.backup_parts import DATABASE, DUMP_NAME, SQLITE_NAME, Location, file_locations, is_sqlite
from devforge.bootstrap.backup_parts import sqlite_path as sqlite_file
from devforge.bootstrap.restore_staging import Staging, occupied
from devforge.bootstrap.settings import Settings

__all__ = ["ArchiveInvalid", "PostgresToolFailed", "RestoreRefused", "restore", "verify"]


class RestoreRefused(Exception):
    """The restore would overwrite something, or does not fit this installation; nothing changed."""


def verify(archive: Path, progress: Progress = quiet) -> Manifest:
    """Reads the whole archive and checks it against its manifest; writes nothing."""
    _exists(archive)
    return read_archive(archive, None, progress)


def restore(
    settings: Settings,
    archive: Path,
    *,
    force: bool = False,
    pg_bin_dir: Path | None = None,
    progress: Progress = quiet,
) -> Manifest:
    _exists(archive)
    embedded = is_sqlite(settings)
    locations = file_locations(settings, mail=True)
    if embedded:
        locations.append(Location(DATABASE, sqlite_file(settings), is_file=True))
        root: Path | None = settings.data_path
        busy = [settings.data_path] if occupied(settings.data_path) else []
    else:
        root, tables = None, table_names(settings.database.database_url)
        busy = [Path(f"the database ({len(tables)} tables)")] if tables else []
    if busy and not force:
        raise RestoreRefused(f"{', '.join(map(str, busy))} is not empty; restore into an empty one, or pass --force")
    progress("restore_started", archive=str(archive), profile=settings.profile)
    staging = Staging(locations, root)
    with tempfile.TemporaryDirectory(prefix=".devforge-restore-") as scratch:
        dump = Path(scratch) / DUMP_NAME
        try:
            manifest = read_archive(archive, _destination(staging, embedded, dump), progress)
            _check(manifest, embedded)
            keep = _unchanged_targets(staging, root, force, progress)
            if not embedded:
                PgDumpTool(settings.database.database_url, pg_bin_dir).restore(dump, clean=force)
                progress("restore_part_restored", part=DATABASE, into="the database (pg_restore)")
        except BaseException:
            staging.discard()
            raise
    for location in staging.external():
        if location.part in keep:
            staging.discard(location.part)
        elif aside := staging.put_in_place(location):
            progress("restore_moved_aside", part=location.part, path=str(aside))
    if root is not None and (aside := staging.put_root_in_place()):
        progress("restore_moved_aside", part="data directory", path=str(aside))
    progress("restore_finished", schema_revision=manifest.schema_revision, taken_at=manifest.created_at.isoformat())
    return manifest


def _destination(staging: Staging, embedded: bool, dump: Path) -> Destination:
    expected = SQLITE_NAME if embedded else DUMP_NAME

    def destination(part: str, path: str) -> Path | None:
        if part == DATABASE and path != expected:
            kind = "a SQLite database" if path == SQLITE_NAME else f"{path!r}"
            raise RestoreRefused(f"the archive holds {kind}, which does not fit this profile's database")
        if part == DATABASE and not embedded:
            return dump
        location = staging.locations.get(part)
        if location is None:
            return None  # checked, not restored (the Maildir when mail goes out by SMTP, say)
        return staging.paths[part] if location.is_file else staging.paths[part] / path

    return destination


def _check(manifest: Manifest, embedded: bool) -> None:
    database = manifest.part(DATABASE)
    if database is None or not database.files:
        raise ArchiveInvalid("the archive holds no database")
    if database.kind != ("sqlite" if embedded else "pg_dump"):
        raise RestoreRefused(f"the archive's database is a {database.kind}, which does not fit this profile")
    if manifest.schema_revision is not None and manifest.schema_revision not in revisions():
        raise RestoreRefused(
            f"the backup is at schema revision {manifest.schema_revision}, which this release does not know; "
            "restore it with the release that took it"
        )


def _unchanged_targets(staging: Staging, root: Path | None, force: bool, progress: Progress) -> set[str]:
    """Parts whose target already holds the same files (kept as they are); any other occupied
    target outside the staged root is refused without ``force``."""
    keep = set()
    for location in staging.external():
        if not occupied(location.path):
            continue
        if staging.identical(location):
            keep.add(location.part)
            progress("restore_part_already_in_place", part=location.part, path=str(location.path))
        elif not force:
            raise RestoreRefused(f"{location.path} is not empty; restore into an empty one, or pass --force")
    return keep


def _exists(archive: Path) -> None:
    if not archive.is_file():
        raise RestoreRefused(f"there is no archive at {archive}")
