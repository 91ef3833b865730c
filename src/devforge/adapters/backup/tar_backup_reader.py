"""Reads a backup archive in one pass, checking every byte against the manifest.

Each file is hashed as it streams out of the archive and, when the caller names a place for it,
written there: private (0600, folders 0700), never over an existing file, never outside the
place named (a member's path must be plain: no absolute path, ``..``, link or device). Only after
the last member does the manifest say whether it all was right, so the caller writes into a
staging folder and keeps it only when ``read_archive`` returns.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import tarfile
import zlib
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import IO

from devforge.adapters.backup.manifest import MANIFEST_NAME, ArchiveInvalid, Manifest, Progress, decode_manifest, quiet

CHUNK = 1 << 20
MANIFEST_MAX_BYTES = 64 << 20

Destination = Callable[[str, str], Path | None]
"""Where the file ``path`` of part ``part`` goes (None: check it, write it nowhere)."""


def read_archive(source: Path, destination: Destination | None = None, progress: Progress = quiet) -> Manifest:
    """The verified manifest; raises ``ArchiveInvalid`` if the archive is damaged, truncated,
    altered or not a devforge backup (whatever was written by then is the caller's to discard)."""
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    raw: bytes | None = None
    try:
        with tarfile.open(source, mode="r|gz") as tar:
            for member in tar:
                if member.isdir():
                    continue
                if not member.isfile():
                    raise ArchiveInvalid(f"{member.name!r} is not a regular file")
                stream = tar.extractfile(member)
                assert stream is not None  # a regular file always has a stream
                if member.name == MANIFEST_NAME:
                    raw = stream.read(MANIFEST_MAX_BYTES)
                    continue
                key = _split(member.name)
                if key in seen:
                    raise ArchiveInvalid(f"{member.name!r} appears twice")
                target = destination(*key) if destination else None
                seen[key] = _copy(stream, target, member.mtime)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as error:
        raise ArchiveInvalid(f"the archive is damaged or truncated ({error})") from None
    if raw is None:
        raise ArchiveInvalid("the archive has no manifest: it is incomplete, or not a devforge backup")
    manifest = decode_manifest(raw)
    _check(manifest, seen)
    for part in manifest.parts:
        progress("restore_part_verified", part=part.name, files=len(part.files), bytes=part.bytes, sha256=part.sha256)
    return manifest


def _split(name: str) -> tuple[str, str]:
    path = PurePosixPath(name)
    parts = path.parts
    unsafe = path.is_absolute() or len(parts) < 2 or any(p in ("", ".", "..") for p in parts)
    if unsafe or "\\" in name or "\x00" in name:
        raise ArchiveInvalid(f"{name!r} is not a plain relative path")
    return parts[0], "/".join(parts[1:])


def _copy(stream: IO[bytes], target: Path | None, mtime: float) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    sink = None
    if target is not None:
        _private_folders(target.parent)
        sink = os.fdopen(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
    try:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            if sink is not None:
                sink.write(chunk)
    finally:
        if sink is not None:
            sink.close()
    if target is not None:
        os.utime(target, (mtime, mtime))
    return digest.hexdigest(), size


def _private_folders(folder: Path) -> None:
    """Like ``mkdir -p -m 0700``: each folder made here is private, not only the last."""
    if not folder.is_dir():
        _private_folders(folder.parent)
        folder.mkdir(mode=0o700, exist_ok=True)


def _check(manifest: Manifest, seen: dict[tuple[str, str], tuple[str, int]]) -> None:
    listed = {(part.name, entry.path): (entry.sha256, entry.bytes) for part in manifest.parts for entry in part.files}
    for key, (sha256, size) in listed.items():
        if key not in seen:
            raise ArchiveInvalid(f"{'/'.join(key)} is listed in the manifest but missing from the archive")
        if seen[key] != (sha256, size):
            raise ArchiveInvalid(f"{'/'.join(key)} does not match its SHA-256 in the manifest: it was altered")
    extra = sorted("/".join(key) for key in seen.keys() - listed.keys())
    if extra:
        raise ArchiveInvalid(f"{extra[0]} is in the archive but not in its manifest")
