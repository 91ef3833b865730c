"""``devforge backup`` and ``devforge restore``: the installation into one archive and back.

Progress goes to stderr as structured log lines (one per part); the outcome to stdout. Exit 0
on success, 1 when the backup failed or the restore was refused (nothing was changed).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import structlog

from devforge.bootstrap.settings import Settings

log = structlog.get_logger("devforge.backup")


def add_backup_commands(commands: Any) -> None:
    backup = commands.add_parser(
        "backup", help="write the database, key rings, secret key and files into one archive (while serving)"
    )
    backup.add_argument("--output", "-o", type=Path, help="archive path (default: ./devforge-backup-<UTC time>.tar.gz)")
    backup.add_argument("--include-mail", action="store_true", help="also keep the embedded outgoing Maildir")
    backup.add_argument(
        "--without-keys", action="store_true", help="leave the signing key rings out (the secret store keeps them)"
    )
    backup.add_argument("--pg-bin-dir", type=Path, help="folder of pg_dump (production; default: from PATH)")
    backup.set_defaults(run=run_backup)

    restore = commands.add_parser("restore", help="restore an archive of `devforge backup` into an empty installation")
    restore.add_argument("archive", type=Path)
    restore.add_argument(
        "--force", action="store_true", help="replace a non-empty target (what is replaced is moved aside)"
    )
    restore.add_argument("--verify-only", action="store_true", help="check the archive against its manifest only")
    restore.add_argument("--pg-bin-dir", type=Path, help="folder of pg_restore (production; default: from PATH)")
    # The data directory must stay as it is until the restore: no generated secret key in it.
    restore.set_defaults(run=run_restore, no_local_secret=True)


def run_backup(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.bootstrap.backups import BackupFailed, back_up, default_archive_name

    destination = args.output or default_archive_name()
    try:
        manifest = back_up(
            settings,
            destination,
            include_mail=args.include_mail,
            include_keys=not args.without_keys,
            pg_bin_dir=args.pg_bin_dir,
            progress=log.info,
        )
    except BackupFailed as error:
        print(f"devforge: backup failed: {error}", file=sys.stderr)
        return 1
    size = sum(part.bytes for part in manifest.parts)
    print(f"Backed up to {destination} ({', '.join(p.name for p in manifest.parts)}; {size} bytes before compression)")
    print(f"Schema revision {manifest.schema_revision}. The archive holds signing keys: keep it private.")
    for note in manifest.not_included:
        print(f"Not in the archive: {note}")
    return 0


def run_restore(settings: Settings, args: argparse.Namespace) -> int:
    from devforge.bootstrap.restores import ArchiveInvalid, PostgresToolFailed, RestoreRefused, restore, verify

    try:
        if args.verify_only:
            manifest = verify(args.archive, progress=log.info)
            print(f"{args.archive} is complete: every file matches its SHA-256 in the manifest")
        else:
            manifest = restore(settings, args.archive, force=args.force, pg_bin_dir=args.pg_bin_dir, progress=log.info)
            where = settings.data_path if settings.profile == "embedded" else "the configured database"
            print(f"Restored {args.archive} into {where}")
    except ArchiveInvalid as error:
        print(f"devforge: the archive cannot be restored, nothing was changed: {error}", file=sys.stderr)
        return 1
    except (RestoreRefused, PostgresToolFailed) as error:
        print(f"devforge: restore refused, nothing was changed: {error}", file=sys.stderr)
        return 1
    taken = f"{manifest.created_at:%Y-%m-%d %H:%M:%S} UTC"
    print(f"Taken {taken} ({manifest.profile} profile), schema revision {manifest.schema_revision}")
    for note in manifest.not_included:
        print(f"Not in the archive: {note}")
    return 0
