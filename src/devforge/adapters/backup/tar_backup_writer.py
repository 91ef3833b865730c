"""Writes a backup archive: a gzipped tar of parts, ``<part>/<path>`` per file, the manifest last.

Each file is hashed while it is copied into the archive, so the manifest describes exactly the
bytes archived. The archive holds signing keys, so it is created private (mode 0600, from
``mkstemp``) beside its final name, synced, and renamed into place only when complete: a failed
or interrupted backup leaves no file that looks like a backup.
"""

from __future__ import annotations

import hashlib
import io
import os
import tarfile
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

import msgspec

from devforge.adapters.backup.manifest import MANIFEST_NAME, FileEntry, Manifest, Part, Progress, quiet

PROGRESS_EVERY_SECONDS = 2.0


class BackupFailed(Exception):
    """The backup could not be written; no archive was left at the destination."""


def is_temporary(name: str) -> bool:
    """Files the adapters write beside their final name and rename (a blob or key being written)."""
    return name.endswith((".tmp", ".partial"))


class _HashingReader(io.RawIOBase):
    def __init__(self, source: BinaryIO) -> None:
        self._source, self.digest, self.count = source, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._source.read(size)
        self.digest.update(chunk)
        self.count += len(chunk)
        return chunk


class TarBackupWriter:
    """Use as a context manager: ``add_*`` each part, then ``finish(manifest fields)``."""

    def __init__(self, destination: Path, progress: Progress = quiet) -> None:
        if destination.exists():
            raise BackupFailed(f"{destination} already exists; choose another name")
        destination.parent.mkdir(parents=True, exist_ok=True)
        self._destination, self._progress = destination, progress
        descriptor, temp = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.", suffix=".partial")
        self._temp = Path(temp)
        self._file = os.fdopen(descriptor, "wb")
        self._tar = tarfile.open(fileobj=self._file, mode="w:gz", compresslevel=6)  # noqa: SIM115 - closed in finish
        self._parts: list[Part] = []

    def __enter__(self) -> TarBackupWriter:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if not self._file.closed:  # finish() was not reached: leave nothing behind
            self._tar.close()
            self._file.close()
            self._temp.unlink(missing_ok=True)

    def add_file(self, part: str, kind: str, source: Path, name: str) -> Part:
        """One file as a part of its own (a database snapshot, the secret key)."""
        started = time.monotonic()
        entry = self._add(f"{part}/{name}", source, name)
        return self._record(Part.of(part, kind, [entry] if entry else []), started)

    def add_tree(self, part: str, root: Path) -> Part:
        """Every regular file under ``root`` (none if it does not exist), in-progress temp files skipped."""
        started, last_report = time.monotonic(), time.monotonic()
        entries: list[FileEntry] = []
        listed = root.rglob("*") if root.is_dir() else ()
        paths = sorted(path for path in listed if path.is_file() and not is_temporary(path.name))
        for path in paths:
            relative = path.relative_to(root).as_posix()
            entry = self._add(f"{part}/{relative}", path, relative)
            if entry:
                entries.append(entry)
            if time.monotonic() - last_report >= PROGRESS_EVERY_SECONDS:
                last_report = time.monotonic()
                self._progress("backup_progress", part=part, files=len(entries), of=len(paths))
        return self._record(Part.of(part, "directory", entries), started)

    def finish(self, manifest: Manifest) -> Manifest:
        """Adds the manifest (with the parts added so far), syncs and renames into place."""
        complete = msgspec.structs.replace(manifest, parts=tuple(self._parts))
        raw = complete.encode()
        info = tarfile.TarInfo(MANIFEST_NAME)
        info.size, info.mode, info.mtime = len(raw), 0o600, int(time.time())
        self._tar.addfile(info, io.BytesIO(raw))
        self._tar.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self._temp, self._destination)
        return complete

    def _add(self, member: str, source: Path, entry_path: str) -> FileEntry | None:
        try:
            handle = source.open("rb")
        except FileNotFoundError:  # removed since it was listed (a blob deleted meanwhile)
            return None
        with handle:
            status = os.fstat(handle.fileno())
            info = tarfile.TarInfo(member)
            info.size, info.mode, info.mtime = status.st_size, 0o600, int(status.st_mtime)
            reader = _HashingReader(handle)
            try:
                self._tar.addfile(info, reader)
            except OSError as error:  # shorter than when opened: rewritten in place
                raise BackupFailed(f"{source} changed while it was being backed up: {error}") from error
        return FileEntry(entry_path, reader.digest.hexdigest(), reader.count)

    def _record(self, part: Part, started: float) -> Part:
        self._parts.append(part)
        self._progress(
            "backup_part_written",
            part=part.name,
            files=len(part.files),
            bytes=part.bytes,
            sha256=part.sha256,
            seconds=round(time.monotonic() - started, 2),
        )
        return part
