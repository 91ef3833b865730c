"""The manifest of a backup archive: what each part holds, file by file, with SHA-256 digests.

A part's own digest is the SHA-256 of its listing as ``sha256sum`` prints it (``<hex>  <path>``
per file, sorted by path, each line ending in a newline), so it can be checked by hand:
``cd <part> && find . -type f | sort | xargs sha256sum``, paths without the ``./``.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Protocol

import msgspec

FORMAT = "devforge-backup"
VERSION = 1
MANIFEST_NAME = "manifest.json"


class ArchiveInvalid(Exception):
    """The archive is not a complete, untouched devforge backup; nothing was restored from it."""


class Progress(Protocol):
    """Receives one structured line per step (``structlog``'s ``log.info`` fits)."""

    def __call__(self, event: str, **fields: object) -> object: ...


class FileEntry(msgspec.Struct, frozen=True):
    path: str
    sha256: str
    bytes: int


class Part(msgspec.Struct, frozen=True):
    name: str
    kind: str  # "sqlite", "pg_dump", "file" or "directory"
    sha256: str
    bytes: int
    files: tuple[FileEntry, ...]

    @classmethod
    def of(cls, name: str, kind: str, files: list[FileEntry]) -> Part:
        ordered = tuple(sorted(files, key=lambda entry: entry.path))
        return cls(name, kind, listing_digest(ordered), sum(entry.bytes for entry in ordered), ordered)


class Manifest(msgspec.Struct, frozen=True):
    format: str
    version: int
    created_at: datetime
    profile: str
    schema_revision: str | None
    parts: tuple[Part, ...]
    not_included: tuple[str, ...] = ()

    def part(self, name: str) -> Part | None:
        return next((part for part in self.parts if part.name == name), None)

    def encode(self) -> bytes:
        return msgspec.json.format(msgspec.json.encode(self), indent=2) + b"\n"


def listing_digest(files: tuple[FileEntry, ...]) -> str:
    listing = "".join(f"{entry.sha256}  {entry.path}\n" for entry in files)
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def decode_manifest(raw: bytes) -> Manifest:
    """The manifest, once its format, version and every part's listing digest check out."""
    try:
        manifest = msgspec.json.decode(raw, type=Manifest)
    except msgspec.DecodeError as error:
        raise ArchiveInvalid(f"the manifest is unreadable: {error}") from None
    if manifest.format != FORMAT or manifest.version != VERSION:
        raise ArchiveInvalid(f"not a {FORMAT} version {VERSION} archive ({manifest.format} {manifest.version})")
    for part in manifest.parts:
        if listing_digest(part.files) != part.sha256:
            raise ArchiveInvalid(f"the manifest's digest of part {part.name!r} does not match its files")
    return manifest


def quiet(event: str, **fields: object) -> None:
    """A ``Progress`` that says nothing."""
